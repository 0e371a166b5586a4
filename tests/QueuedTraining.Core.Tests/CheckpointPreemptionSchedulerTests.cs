using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Diagnostics;
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

    private static async Task SubmitAsync(SchedulerHarness h, string name, string? checkpointUri, int priority = 1)
    {
        var request = TestJobs.Request(name, priority, simSeconds: 600);
        request.CheckpointConfig = checkpointUri is null ? null : new CheckpointConfig { S3Uri = checkpointUri };
        await h.Commands.SubmitAsync("alice", request);
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
    }

    private sealed class FixedCheckpointReader : ICheckpointReader
    {
        public DateTimeOffset? Newest { get; set; }

        public bool CanRead => true;

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) =>
            Task.FromResult(s3Uri == SaverUri ? Newest : null);
    }
}
