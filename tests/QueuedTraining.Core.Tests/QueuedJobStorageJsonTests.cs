using System.Text.Json;
using QueuedTraining.Core.Jobs;
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
        Assert.DoesNotContain("\\\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_BodyStoredBeforeTeams_ReadsAsTheDefaultTeam()
    {
        var stored = JsonSerializer.Serialize(TestJobs.Job("a") with { Team = "vision" }, QueuedJobJsonContext.Storage.QueuedJob);
        var beforeTeams = stored.Replace("\"Team\":\"vision\",", string.Empty, StringComparison.Ordinal);

        var read = JsonSerializer.Deserialize(beforeTeams, QueuedJobJsonContext.Storage.QueuedJob)!;

        Assert.NotEqual(stored, beforeTeams);
        Assert.Equal(QueuedJob.DefaultTeam, read.Team);
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

    [Fact]
    public void Storage_Request_IsStoredAsJsonNotAsAnEscapedString()
    {
        var job = TestJobs.Job("a");

        using var stored = JsonDocument.Parse(JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob));

        var request = stored.RootElement.GetProperty("RequestJson");
        Assert.Equal(JsonValueKind.Object, request.ValueKind);
        Assert.Equal("a", request.GetProperty("TrainingJobName").GetString());
    }

    [Fact]
    public void Storage_JobStoredWithTheRequestAsAString_ReadsBackTheSameRequest()
    {
        var job = TestJobs.Job("a");
        var asObject = JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob);
        var asString = asObject.Replace($"\"RequestJson\":{job.RequestJson}", $"\"RequestJson\":{JsonSerializer.Serialize(job.RequestJson)}", StringComparison.Ordinal);
        Assert.NotEqual(asObject, asString);

        var read = JsonSerializer.Deserialize(asString, QueuedJobJsonContext.Storage.QueuedJob)!;

        Assert.Equal(job.RequestJson, read.RequestJson);
    }

    [Fact]
    public void Storage_MalformedRequestJson_FailsTheWriteInsteadOfStoringAnUnreadableJob()
    {
        var job = TestJobs.Job("a") with { RequestJson = "{\"TrainingJobName\":" };

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob));
    }

    [Fact]
    public void Storage_RequestedMinimumRuntime_RoundTripsAndIsLeftOutWhenAbsent()
    {
        var asks = TestJobs.Job("a") with { RequestedMinimumRuntime = TimeSpan.FromMinutes(45) };

        var stored = JsonSerializer.Serialize(asks, QueuedJobJsonContext.Storage.QueuedJob);
        var read = JsonSerializer.Deserialize(stored, QueuedJobJsonContext.Storage.QueuedJob)!;

        Assert.Equal(TimeSpan.FromMinutes(45), read.RequestedMinimumRuntime);
        Assert.DoesNotContain(nameof(QueuedJob.RequestedMinimumRuntime), JsonSerializer.Serialize(TestJobs.Job("b"), QueuedJobJsonContext.Storage.QueuedJob), StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(QueuedJob.Preemptions), stored, StringComparison.Ordinal);
    }
}
