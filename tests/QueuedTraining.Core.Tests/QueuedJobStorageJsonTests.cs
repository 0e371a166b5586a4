using System.Text.Json;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class QueuedJobStorageJsonTests
{
    [Fact]
    public void Storage_EmbeddedRequestJson_KeepsItsQuotesShort()
    {
        var job = TestJobs.Job("a");
        Assert.Contains('"', job.RequestJson);

        var stored = JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob);

        Assert.DoesNotContain("\\u0022", stored, StringComparison.Ordinal);
        Assert.True(stored.Length < JsonSerializer.Serialize(job, QueuedJobJsonContext.Default.QueuedJob).Length);
    }

    [Fact]
    public void Storage_BodyWrittenWithDefaultEscaping_ReadsBackTheSameJob()
    {
        var job = TestJobs.Job("a");
        var old = JsonSerializer.Serialize(job, QueuedJobJsonContext.Default.QueuedJob);

        var read = JsonSerializer.Deserialize(old, QueuedJobJsonContext.Storage.QueuedJob)!;

        Assert.Equal(job.RequestJson, read.RequestJson);
        Assert.Equal(job.QueueKey, read.QueueKey);
    }
}
