using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>The engine's metrics, read with <see cref="MetricCollector{T}"/> while the real scheduler runs the seed scenario.</summary>
public sealed class QueueMetricsTests
{
    [Fact]
    public async Task SeedScenario_WithPreemption_CountsStartsEndsPreemptionsAndCalls()
    {
        await using var h = new SchedulerHarness();
        using var m = new Collectors(h.Services);

        await h.SubmitAsync("job1", 1, seconds: 600);
        await h.SubmitAsync("job2", 2, seconds: 120);
        await h.SubmitAsync("job3", 1, seconds: 600);
        await h.SettleAsync();

        // Two instances, two started; job3 waits.
        Assert.Equal(2, Sum(m.Starts));
        Assert.Equal(1, Gauge(m.Waiting, "waiting"));
        Assert.Equal(2, Gauge(m.Instances, "used"));
        Assert.Equal(0, Gauge(m.Instances, "free"));

        await h.SubmitAsync("job4", 3, seconds: 300);
        await h.SettleAsync();
        Assert.Equal(1, Sum(m.Preemptions));

        for (var minute = 0; minute < 35; minute++)
        {
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(JobState.Completed, await h.StateOf("job3"));

        // job1, job2, job4, job1 resumed, job3: five attempts ran; four jobs waited once each.
        Assert.Equal(5, Sum(m.Starts));
        Assert.All(m.Starts.GetMeasurementSnapshot(), x => Assert.Equal(TestJobs.P5, x.Tags[QueueMetrics.PoolTag]));
        Assert.Equal(4, m.WaitDuration.GetMeasurementSnapshot().Count);
        Assert.Single(m.Preemptions.GetMeasurementSnapshot());
        Assert.Equal(4, Sum(m.Ends, ("queuedtraining.outcome", "completed")));
        Assert.Equal(4, Sum(m.Ends));
        Assert.Equal(5, Sum(m.Calls, (QueueMetrics.OperationTag, "CreateTrainingJob"), (QueueMetrics.OutcomeTag, "success")));
        Assert.Equal(1, Sum(m.Calls, (QueueMetrics.OperationTag, "StopTrainingJob"), (QueueMetrics.OutcomeTag, "success")));
        Assert.NotEmpty(m.PassDuration.GetMeasurementSnapshot());
        Assert.All(m.PassDuration.GetMeasurementSnapshot(), x => Assert.True(x.Value >= 0));
        Assert.Equal(0, Gauge(m.Waiting, "waiting"));
        Assert.Equal(0, Gauge(m.Instances, "used"));
        Assert.Equal(2, Gauge(m.Instances, "free"));

        // No label carries a job's name.
        var tagValues = m.All.SelectMany(values => values).Select(v => v as string).ToList();
        Assert.DoesNotContain(tagValues, value => value is not null && value.StartsWith("job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitDuration_JobWaitsForInstances_RecordsSecondsFromSubmissionToFirstStart()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        using var m = new Collectors(h.Services);
        await h.SubmitAsync("first", 1, seconds: 60);
        await h.SubmitAsync("second", 1, seconds: 60);
        await h.SettleAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(61));

        Assert.Equal(JobState.Running, await h.StateOf("second"));
        var waits = m.WaitDuration.GetMeasurementSnapshot().Select(x => x.Value).ToList();
        Assert.Equal(2, waits.Count);
        // "second" was submitted 10 ms after "first" and started when "first" completed 60 s after its start.
        Assert.InRange(waits[1], 60, 62);
        Assert.True(waits[0] < 1);
    }

    [Fact]
    public async Task Calls_SageMakerThrottlesThenRejects_CountsEachOutcomeAndTheFailure()
    {
        await using var h = new SchedulerHarness();
        using var m = new Collectors(h.Services);
        h.Backend.CreateFaults.Enqueue(_ => new SageMakerThrottlingException("ThrottlingException", "Rate exceeded"));
        await h.SubmitAsync("throttled", 1);
        await h.SettleAsync();
        h.Backend.CreateFaults.Enqueue(_ => new SageMakerValidationException("Could not find role arn"));
        await h.SubmitAsync("bad-role", 1);
        await h.SettleAsync();

        Assert.Equal(1, Sum(m.Calls, (QueueMetrics.OperationTag, "CreateTrainingJob"), (QueueMetrics.OutcomeTag, "ThrottlingException")));
        Assert.Equal(1, Sum(m.Calls, (QueueMetrics.OperationTag, "CreateTrainingJob"), (QueueMetrics.OutcomeTag, "ValidationException")));
        Assert.Equal(1, Sum(m.Ends, (QueueMetrics.OutcomeTag, "failed")));
        Assert.Equal(JobState.Failed, await h.StateOf("bad-role"));
    }

    [Fact]
    public async Task Ends_WaitingJobCancelled_CountsCancelled()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        using var m = new Collectors(h.Services);
        await h.SubmitAsync("running", 1);
        await h.SubmitAsync("waiting", 1);
        await h.SettleAsync();

        await h.Commands.CancelAsync("waiting", SchedulerHarness.Alice);

        Assert.Equal(1, Sum(m.Ends, (QueueMetrics.OutcomeTag, "cancelled")));
        Assert.Equal(1, Sum(m.Ends));
    }

    private static long Sum(MetricCollector<long> collector, params (string Key, string Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(x => tags.All(t => Equals(x.Tags.GetValueOrDefault(t.Key), t.Value)))
            .Sum(x => x.Value);

    /// <summary>Observes the gauges now and returns the P5 pool's value (of one instance state, for the instances gauge).</summary>
    private static long Gauge(MetricCollector<long> collector, string state)
    {
        collector.RecordObservableInstruments();
        var measurements = collector.GetMeasurementSnapshot(clear: true)
            .Where(x => Equals(x.Tags[QueueMetrics.PoolTag], TestJobs.P5))
            .Where(x => !x.Tags.ContainsKey(QueueMetrics.InstanceStateTag) || Equals(x.Tags[QueueMetrics.InstanceStateTag], state))
            .ToList();
        return Assert.Single(measurements).Value;
    }

    /// <summary>One collector per instrument, on the meter of this engine's own meter factory.</summary>
    private sealed class Collectors : IDisposable
    {
        public Collectors(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _ = services.GetRequiredService<QueueMetrics>();
            Waiting = new(factory, QueueMetrics.MeterName, "queuedtraining.pool.jobs.waiting");
            Instances = new(factory, QueueMetrics.MeterName, "queuedtraining.pool.instances");
            Starts = new(factory, QueueMetrics.MeterName, "queuedtraining.job.starts");
            Ends = new(factory, QueueMetrics.MeterName, "queuedtraining.job.ends");
            Preemptions = new(factory, QueueMetrics.MeterName, "queuedtraining.job.preemptions");
            Calls = new(factory, QueueMetrics.MeterName, "queuedtraining.sagemaker.calls");
            WaitDuration = new(factory, QueueMetrics.MeterName, "queuedtraining.job.wait.duration");
            PassDuration = new(factory, QueueMetrics.MeterName, "queuedtraining.scheduler.pass.duration");
        }

        public MetricCollector<long> Waiting { get; }

        public MetricCollector<long> Instances { get; }

        public MetricCollector<long> Starts { get; }

        public MetricCollector<long> Ends { get; }

        public MetricCollector<long> Preemptions { get; }

        public MetricCollector<long> Calls { get; }

        public MetricCollector<double> WaitDuration { get; }

        public MetricCollector<double> PassDuration { get; }

        /// <summary>Every tag value every counter and histogram recorded.</summary>
        public IEnumerable<IEnumerable<object?>> All =>
            new[] { Starts, Ends, Preemptions, Calls }.SelectMany(c => c.GetMeasurementSnapshot()).Select(x => x.Tags.Values)
                .Concat(new[] { WaitDuration, PassDuration }.SelectMany(c => c.GetMeasurementSnapshot()).Select(x => x.Tags.Values));

        public void Dispose()
        {
            Waiting.Dispose();
            Instances.Dispose();
            Starts.Dispose();
            Ends.Dispose();
            Preemptions.Dispose();
            Calls.Dispose();
            WaitDuration.Dispose();
            PassDuration.Dispose();
        }
    }
}
