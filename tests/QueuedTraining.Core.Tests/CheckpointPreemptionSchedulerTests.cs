using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Checkpoint-aware preemption through the real scheduler, store and simulated SageMaker.</summary>
public sealed class CheckpointPreemptionSchedulerTests
{
    private const string SaverUri = "s3://bucket/checkpoints/saver/";

    [Fact]
    public async Task RunPassAsync_CheckpointedAndUncheckpointedRunning_PreemptsTheSaverRecordsTheWorkLostAndResumesFromItsUri()
    {
        var reader = new FixedCheckpointReader();
        await using var h = new SchedulerHarness(configure: s => s.AddSingleton<ICheckpointReader>(reader));
        using var workLost = new MetricCollector<double>(h.Services.GetRequiredService<IMeterFactory>(), QueueMetrics.MeterName, "queuedtraining.job.preemption.work_lost");
        _ = h.Services.GetRequiredService<QueueMetrics>();
        await SubmitAsync(h, "saver", SaverUri);
        await SubmitAsync(h, "loser", checkpointUri: null);
        await h.SettleAsync();
        Assert.Equal(SaverUri, (await h.Get("saver")).CheckpointS3Uri);
        Assert.Null((await h.Get("loser")).CheckpointS3Uri);

        await h.AdvanceAsync(TimeSpan.FromMinutes(3));
        reader.Newest = h.Time.GetUtcNow().AddSeconds(-40);
        await h.Services.GetRequiredService<CheckpointCache>().RefreshAsync(SaverUri);

        await SubmitAsync(h, "high", checkpointUri: null, priority: 5);
        await h.SettleAsync();

        var saver = await h.Get("saver");
        Assert.Equal(JobState.Preempting, saver.State);
        Assert.Equal(JobState.Running, await h.StateOf("loser"));
        var lost = saver.Attempts[0].WorkLostInstanceSeconds;
        Assert.NotNull(lost);
        Assert.InRange(lost.Value, 40, 41);
        Assert.Contains(saver.History, e => e.State == JobState.Preempting && e.Reason.Contains("for high", StringComparison.Ordinal) && e.Reason.Contains("instance-seconds of work lost", StringComparison.Ordinal));
        var measured = Assert.Single(workLost.GetMeasurementSnapshot());
        Assert.Equal(lost.Value, measured.Value);
        Assert.Equal("PreemptedForHigherPriority", measured.Tags[QueueMetrics.RuleTag]);

        // "high" runs for ten minutes; then the saver resumes under a new attempt name with the same checkpoint location.
        for (var minute = 0; minute < 12; minute++)
        {
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        saver = await h.Get("saver");
        Assert.Equal(2, saver.CurrentAttempt!.Number);
        var resumed = await h.Simulated.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = saver.CurrentAttemptName }, CancellationToken.None);
        Assert.Equal(SaverUri, resumed.CheckpointConfig?.S3Uri);
    }

    [Fact]
    public async Task RunPassAsync_VictimDueToSaveWithinTheGrace_WaitsForTheSaveThenPreemptsLosingAlmostNothing()
    {
        var reader = new PeriodicCheckpointReader(TimeSpan.FromMinutes(10));
        await using var h = new SchedulerHarness(configure: s => s.AddSingleton<ICheckpointReader>(reader));
        h.Options.PreemptionCheckpointGrace = TimeSpan.FromMinutes(5);
        reader.Time = h.Time;
        var cache = h.Services.GetRequiredService<CheckpointCache>();
        await SubmitAsync(h, "saver", SaverUri, simSeconds: 3_600);
        await SubmitAsync(h, "loser", checkpointUri: null, simSeconds: 3_600);
        await h.SettleAsync();
        var origin = (await h.Get("saver")).CurrentAttempt!.StartedAt;
        reader.Origin = origin;

        // Reads every minute see the saves at 10 and 20 minutes and learn the period; at 28 minutes the next save is 2
        // minutes away.
        while (h.Time.GetUtcNow() < origin.AddMinutes(28))
        {
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));
            await cache.RefreshAsync(SaverUri);
        }

        Assert.Equal(TimeSpan.FromMinutes(10), cache.PeriodOf(SaverUri));
        await SubmitAsync(h, "high", checkpointUri: null, priority: 5, simSeconds: 600);
        await h.SettleAsync();

        Assert.Equal(JobState.Running, await h.StateOf("saver"));
        var view = await h.Services.GetRequiredService<JobQueries>().GetAsync("high", SchedulerHarness.Alice);
        Assert.Equal(WaitReasonCode.WaitingForCheckpoint, view!.WaitReason!.Code);
        Assert.Equal(origin.AddMinutes(30), view.WaitReason.NotBefore);

        h.Time.Advance(origin.AddMinutes(30).AddSeconds(30) - h.Time.GetUtcNow());
        await cache.RefreshAsync(SaverUri);
        await h.SettleAsync();

        var saver = await h.Get("saver");
        Assert.Equal(JobState.Preempting, saver.State);
        Assert.InRange(saver.Attempts[0].WorkLostInstanceSeconds!.Value, 30, 31);
        Assert.Equal(JobState.Running, await h.StateOf("loser"));
    }

    private static async Task SubmitAsync(SchedulerHarness h, string name, string? checkpointUri, int priority = 1, double simSeconds = 600)
    {
        var request = TestJobs.Request(name, priority, simSeconds: simSeconds);
        request.CheckpointConfig = checkpointUri is null ? null : new CheckpointConfig { S3Uri = checkpointUri };
        await h.Commands.SubmitAsync("alice", request);
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
    }

    /// <summary>
    /// A job that saves every <paramref name="period"/> from <see cref="Origin"/>: any read at a moment answers alike, so
    /// background reads and the test's own agree.
    /// </summary>
    private sealed class PeriodicCheckpointReader(TimeSpan period) : ICheckpointReader
    {
        public TimeProvider? Time { get; set; }

        public DateTimeOffset? Origin { get; set; }

        public bool CanRead => true;

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken)
        {
            if (Origin is not { } origin || Time is null || Time.GetUtcNow() - origin < period)
            {
                return Task.FromResult<DateTimeOffset?>(null);
            }

            return Task.FromResult<DateTimeOffset?>(origin + (period * Math.Floor((Time.GetUtcNow() - origin) / period)));
        }
    }

    private sealed class FixedCheckpointReader : ICheckpointReader
    {
        public DateTimeOffset? Newest { get; set; }

        public bool CanRead => true;

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) =>
            Task.FromResult(s3Uri == SaverUri ? Newest : null);
    }
}
