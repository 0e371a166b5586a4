using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>What the checkpoint cache learns from successive reads of one location.</summary>
public sealed class CheckpointCacheTests
{
    private const string Uri = "s3://bucket/checkpoints/saver/";

    [Fact]
    public async Task Observe_SuccessiveNewerCheckpoints_LearnsTheirPeriodAndCarriesItOnTheJob()
    {
        var reader = new SettableCheckpointReader();
        await using var h = new SchedulerHarness(configure: s => s.AddSingleton<ICheckpointReader>(reader));
        var cache = h.Services.GetRequiredService<CheckpointCache>();
        var start = h.Time.GetUtcNow();

        reader.Newest = start;
        await cache.RefreshAsync(Uri);
        Assert.Null(cache.PeriodOf(Uri));

        // The same object read again is no new sample; a missed save (a 20-minute gap) does not move the median.
        await cache.RefreshAsync(Uri);
        foreach (var minutes in new[] { 10, 20, 40 })
        {
            reader.Newest = start.AddMinutes(minutes);
            await cache.RefreshAsync(Uri);
        }

        Assert.Equal(TimeSpan.FromMinutes(10), cache.PeriodOf(Uri));
        var job = TestJobs.Job("saver", state: JobState.Running) with { CheckpointS3Uri = Uri };
        var seen = Assert.Single(cache.Observe([job], h.Time.GetUtcNow()));
        Assert.Equal(TimeSpan.FromMinutes(10), seen.CheckpointPeriod);
        Assert.Equal(start.AddMinutes(40), seen.LastCheckpointAt);
    }

    [Fact]
    public async Task Observe_OneCheckpointSeen_LeavesThePeriodUnknown()
    {
        var reader = new SettableCheckpointReader { Newest = TestJobs.Epoch };
        await using var h = new SchedulerHarness(configure: s => s.AddSingleton<ICheckpointReader>(reader));
        var cache = h.Services.GetRequiredService<CheckpointCache>();
        await cache.RefreshAsync(Uri);

        var seen = Assert.Single(cache.Observe([TestJobs.Job("saver", state: JobState.Running) with { CheckpointS3Uri = Uri }], h.Time.GetUtcNow()));

        Assert.Equal(TestJobs.Epoch, seen.LastCheckpointAt);
        Assert.Null(seen.CheckpointPeriod);
    }

    private sealed class SettableCheckpointReader : ICheckpointReader
    {
        public DateTimeOffset? Newest { get; set; }

        public bool CanRead => true;

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) => Task.FromResult(Newest);
    }

    [Fact]
    public async Task RefreshAsync_AnEarlierReadAnswersLast_KeepsTheLaterReadsAnswer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var reader = new GatedReader();
        var cache = new CheckpointCache(reader, new StaticOptionsMonitor(new QueueOptions()), time, NullLogger<CheckpointCache>.Instance);
        var stale = reader.Next();
        var earlier = cache.RefreshAsync(Uri);
        var fresh = reader.Next();
        var later = cache.RefreshAsync(Uri);

        fresh.SetResult(time.GetUtcNow().AddSeconds(-10));
        await later;
        stale.SetResult(null);
        await earlier;

        Assert.Equal(time.GetUtcNow().AddSeconds(-10), cache.NewestOf(Uri));
    }

    /// <summary>Answers each read when the test says, so that reads can finish out of order.</summary>
    private sealed class GatedReader : ICheckpointReader
    {
        private readonly Queue<TaskCompletionSource<DateTimeOffset?>> _answers = new();

        public bool CanRead => true;

        public TaskCompletionSource<DateTimeOffset?> Next()
        {
            var answer = new TaskCompletionSource<DateTimeOffset?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _answers.Enqueue(answer);
            return answer;
        }

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) => _answers.Dequeue().Task;
    }
}
