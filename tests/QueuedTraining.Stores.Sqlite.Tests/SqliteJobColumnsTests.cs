using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

public sealed class SqliteJobColumnsTests
{
    [Fact]
    public void UpdateOf_StateChange_SetsOnlyTheColumnsThatDiffer()
    {
        var job = TestJobs.Job("job-a");

        var sql = SqliteJobColumns.UpdateOf(job, job with { State = JobState.Running });

        Assert.Equal("UPDATE jobs SET state = $state, waiting = $waiting, holds_capacity = $holding, version = $version, body = $body WHERE name = $name AND version = $expected", sql);
    }

    [Fact]
    public void UpdateOf_OnlyTheBodyChanges_SetsNoIndexedColumn()
    {
        var job = TestJobs.Job("job-a");

        var sql = SqliteJobColumns.UpdateOf(job, job with { Reason = "another reason" });

        Assert.Equal("UPDATE jobs SET version = $version, body = $body WHERE name = $name AND version = $expected", sql);
    }
}
