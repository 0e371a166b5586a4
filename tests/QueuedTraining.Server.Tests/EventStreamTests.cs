using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary><c>GET /v1/events</c> on Kestrel with the SQLite store: each caller sees its own jobs' transitions, and can resume.</summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync()
    {
        var settings = RunningQueueService.TenantSettings();
        settings["QueuedTraining:Simulated:DefaultDuration"] = "00:00:01";
        settings["QueuedTraining:Events:PollInterval"] = "00:00:00.050";
        _service = await RunningQueueService.StartAsync(settings: settings);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Events_OwnJobRunsToTheEnd_SeesSubmittedStartedCompletedAndNoOtherOwnersJob()
    {
        await using var alice = await EventStreamReader.OpenAsync(_service.Client.BaseAddress!, "alice-key");
        _service.UseKey("bob-key");
        await _service.SubmitAsync(TestJobs.Request("bobs-job", 1, TestJobs.G5));
        _service.UseKey("alice-key");
        await _service.SubmitAsync(TestJobs.Request("alices-job", 1, TestJobs.G5));

        var events = await alice.ReadUntilAsync(seen => seen.Any(e => e.Type == "completed" && e.Job == "alices-job"));

        Assert.Equal("text/event-stream", alice.MediaType);
        Assert.DoesNotContain(events, e => e.Owner != "alice");
        var types = events.Where(e => e.Job == "alices-job").Select(e => e.Type).ToList();
        Assert.Equal(["submitted", "starting", "started", "completed"], types);
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), events.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_ResumedWithLastEventId_ReplaysWhatWasMissed()
    {
        string submittedId;
        await using (var first = await EventStreamReader.OpenAsync(_service.Client.BaseAddress!, "alice-key"))
        {
            _service.UseKey("alice-key");
            await _service.SubmitAsync(TestJobs.Request("resumed-job", 1, TestJobs.G5));
            submittedId = (await first.ReadUntilAsync(seen => seen.Any(e => e.Job == "resumed-job"))).Single(e => e.Job == "resumed-job").Id;
        }

        await _service.WaitForStateAsync("resumed-job", JobState.Completed);
        await using var resumed = await EventStreamReader.OpenAsync(_service.Client.BaseAddress!, "alice-key", lastEventId: submittedId);
        var replayed = await resumed.ReadUntilAsync(seen => seen.Any(e => e.Type == "completed"));

        Assert.Equal(["starting", "started", "completed"], replayed.Select(e => e.Type));
        Assert.All(replayed, e => Assert.True(string.CompareOrdinal(e.Id, submittedId) > 0));
    }

    [Fact]
    public async Task Events_OperatorSubscribes_SeesEveryOwnersJobs()
    {
        await using var ops = await EventStreamReader.OpenAsync(_service.Client.BaseAddress!, "ops-key");
        _service.UseKey("alice-key");
        await _service.SubmitAsync(TestJobs.Request("alice-for-ops", 1, TestJobs.G5));
        _service.UseKey("bob-key");
        await _service.SubmitAsync(TestJobs.Request("bob-for-ops", 1, TestJobs.G5));

        var events = await ops.ReadUntilAsync(seen => seen.Count(e => e.Type == "submitted") == 2);

        Assert.Equal(["alice", "bob"], events.Where(e => e.Type == "submitted").Select(e => e.Owner).Order());
    }

    [Fact]
    public async Task Events_JobSubmittedThroughAnotherReplica_ReachesThisReplicasSubscriber()
    {
        // A second replica on the same store: what it commits must reach subscribers of the first.
        var settings = RunningQueueService.TenantSettings();
        settings["QueuedTraining:Events:PollInterval"] = "00:00:00.050";
        await using var other = await RunningQueueService.StartAsync(databasePath: _service.DatabasePath, settings: settings);
        await using var alice = await EventStreamReader.OpenAsync(_service.Client.BaseAddress!, "alice-key");
        other.UseKey("alice-key");

        await other.SubmitAsync(TestJobs.Request("via-other-replica", 1, TestJobs.G5));
        var events = await alice.ReadUntilAsync(seen => seen.Any(e => e.Job == "via-other-replica"));

        Assert.Equal("submitted", events.First(e => e.Job == "via-other-replica").Type);
    }

    [Fact]
    public async Task Events_ServiceStops_EndsTheStreamCleanly()
    {
        // A stream never ends on its own; stopping the service must end it rather than wait for the client to leave.
        var stopping = await RunningQueueService.StartAsync(settings: RunningQueueService.TenantSettings());
        await using var alice = await EventStreamReader.OpenAsync(stopping.Client.BaseAddress!, "alice-key");

        var stopped = stopping.DisposeAsync().AsTask();

        await Assert.ThrowsAsync<EndOfStreamException>(() => alice.ReadUntilAsync(_ => false));
        await stopped;
    }
}
