using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using QueuedTraining.Testing.Server;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// The engine's meter read through OpenTelemetry's in-memory exporter after a scripted scenario with a preemption. It
/// shares the collection that runs alone: the exporter hears every meter of that name in the process.
/// </summary>
[Collection(nameof(TelemetryExportTests))]
public sealed class MetricsScenarioTests
{
    [Fact]
    public async Task Metrics_LowJobPreemptedThenBothComplete_CountsStartsEndsPreemptionAndCalls()
    {
        var exported = new List<MetricSnapshot>();
        await using var service = await RunningQueueService.StartAsync(services: s => s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("QueuedTraining").AddInMemoryExporter(exported)));

        await RunPreemptionAsync(service, "metrics");

        Assert.Equal(3, Sum(exported, "queuedtraining.job.starts", ("queuedtraining.pool", TestJobs.G5)));
        Assert.Equal(2, Sum(exported, "queuedtraining.job.ends", ("queuedtraining.pool", TestJobs.G5), ("queuedtraining.outcome", "completed")));
        Assert.Equal(1, Sum(exported, "queuedtraining.job.preemptions", ("queuedtraining.pool", TestJobs.G5)));
        Assert.Equal(3, Sum(exported, "queuedtraining.sagemaker.calls", ("queuedtraining.sagemaker.operation", "CreateTrainingJob"), ("queuedtraining.outcome", "success")));
        Assert.Equal(1, Sum(exported, "queuedtraining.sagemaker.calls", ("queuedtraining.sagemaker.operation", "StopTrainingJob"), ("queuedtraining.outcome", "success")));
        Assert.Equal(2, HistogramCount(exported, "queuedtraining.job.wait.duration", ("queuedtraining.pool", TestJobs.G5)));
        Assert.True(HistogramCount(exported, "queuedtraining.scheduler.pass.duration", ("queuedtraining.pool", TestJobs.G5)) >= 3);
        Assert.True(Points(exported, "queuedtraining.job.preemption.work_lost", ("queuedtraining.pool", TestJobs.G5)).Single().GetSumDouble() > 0);
    }

    [Fact]
    public async Task Metrics_SageMakerEventsLost_CountsReconciliationRepairsAndTimesStoreWrites()
    {
        var exported = new List<MetricSnapshot>();
        await using var service = await RunningQueueService.StartAsync(services: s =>
        {
            s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("QueuedTraining").AddInMemoryExporter(exported));

            // The engine calls a simulated SageMaker of its own whose state changes nobody delivers (the service's event
            // pump listens to another instance): only reconciliation learns that an attempt stopped or completed.
            s.AddSingleton<ISageMakerTrainingClient>(sp => new SimulatedSageMaker(
                Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromMinutes(10), StopGracePeriod = TimeSpan.FromMilliseconds(200) }),
                TimeProvider.System));
        });

        await RunPreemptionAsync(service, "repair");

        // Both completions and the preempted attempt's stop were missed events. A start may be repaired too, when
        // reconciliation describes the attempt before the scheduler confirms it: that count is left unchecked.
        Assert.Equal(2, Sum(exported, "queuedtraining.reconciliation.repairs", ("queuedtraining.pool", TestJobs.G5), ("queuedtraining.repair", "completed")));
        Assert.Equal(1, Sum(exported, "queuedtraining.reconciliation.repairs", ("queuedtraining.pool", TestJobs.G5), ("queuedtraining.repair", "preempted")));
        Assert.Equal(2, HistogramCount(exported, "queuedtraining.store.commit.duration", ("queuedtraining.store.operation", "add")));
        Assert.True(HistogramCount(exported, "queuedtraining.store.commit.duration", ("queuedtraining.store.operation", "update")) >= 8);
        Assert.True(HistogramCount(exported, "queuedtraining.store.commit.duration", ("queuedtraining.store.operation", "lease")) >= 1);
    }

    [Fact]
    public async Task Metrics_TwoTeamsWaitBehindABusyPool_GaugesWaitingJobsByTeamAndPriorityBand()
    {
        var exported = new List<MetricSnapshot>();
        var settings = new Dictionary<string, string?>
        {
            [$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "1",
            [$"QueuedTraining:Teams:speech:Quota:{TestJobs.P5}"] = "1",
        };
        await using var service = await RunningQueueService.StartAsync(settings: settings, services: s => s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("QueuedTraining").AddInMemoryExporter(exported)));

        // The loopback caller is an operator, so its team tag is taken as given, even a team that is not configured.
        await service.SubmitAsync(TestJobs.Request("busy", 900, TestJobs.G5, simSeconds: 600));
        await service.WaitForStateAsync("busy", JobState.Running);
        await service.SubmitAsync(OfTeam(TestJobs.Request("vision-a", 5, TestJobs.G5), "vision"));
        await service.SubmitAsync(OfTeam(TestJobs.Request("vision-b", 7, TestJobs.G5), "vision"));
        await service.SubmitAsync(OfTeam(TestJobs.Request("speech-a", 200, TestJobs.G5), "speech"));
        await service.SubmitAsync(OfTeam(TestJobs.Request("stray-a", 50, TestJobs.G5), "stray"));

        var waiting = new Dictionary<(string Team, string Band), long>();
        await Polling.UntilAsync(() =>
        {
            service.Services.GetRequiredService<MeterProvider>().ForceFlush();
            waiting = WaitingByTeam(exported, TestJobs.G5);
            return Task.FromResult(waiting.Values.Sum() == 4);
        }, "a pass that reads the four waiting jobs");

        Assert.Equal(2, waiting[("vision", "0-9")]);
        Assert.Equal(1, waiting[("speech", "100-999")]);
        Assert.Equal(1, waiting[("default", "10-99")]);
        Assert.Equal(0, waiting[("vision", "1000+")]);
        Assert.Equal(0, waiting[("default", "100-999")]);
        Assert.DoesNotContain(waiting.Keys, key => key.Team == "stray");
        Assert.Equal(3 * 5, waiting.Count);
    }

    /// <summary>
    /// One ml.g5.xlarge: <c>low</c> runs, <c>high</c> preempts it and completes, then <c>low</c> resumes and completes;
    /// then the meter is exported.
    /// </summary>
    private static async Task RunPreemptionAsync(RunningQueueService service, string prefix)
    {
        await service.SubmitAsync(TestJobs.Request(prefix + "-low", 1, TestJobs.G5, simSeconds: 2));
        await service.WaitForStateAsync(prefix + "-low", JobState.Running);
        await service.SubmitAsync(TestJobs.Request(prefix + "-high", 9, TestJobs.G5, simSeconds: 1));
        await service.WaitForStateAsync(prefix + "-high", JobState.Completed);
        await service.WaitForStateAsync(prefix + "-low", JobState.Completed);
        service.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    private static CreateTrainingJobRequest OfTeam(CreateTrainingJobRequest request, string team)
    {
        request.Tags!.Add(new Tag { Key = "team", Value = team });
        return request;
    }

    private static Dictionary<(string Team, string Band), long> WaitingByTeam(List<MetricSnapshot> exported, string pool) =>
        exported.LastOrDefault(m => m.Name == "queuedtraining.team.jobs.waiting") is { } metric
            ? metric.MetricPoints.Where(p => HasTag(p, "queuedtraining.pool", pool))
                .ToDictionary(p => ((string)TagValue(p, "queuedtraining.team")!, (string)TagValue(p, "queuedtraining.priority.band")!), p => p.GetGaugeLastValueLong())
            : [];

    private static object? TagValue(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    private static long Sum(List<MetricSnapshot> exported, string name, params (string Key, string Value)[] tags) =>
        Points(exported, name, tags).Sum(p => p.GetSumLong());

    private static long HistogramCount(List<MetricSnapshot> exported, string name, params (string Key, string Value)[] tags) =>
        Points(exported, name, tags).Sum(p => p.GetHistogramCount());

    // The exporter keeps every export; cumulative temporality makes the last one the total.
    private static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, params (string Key, string Value)[] tags) =>
        exported.LastOrDefault(m => m.Name == name) is { } metric
            ? metric.MetricPoints.Where(p => tags.All(t => HasTag(p, t.Key, t.Value))).ToList()
            : throw new Xunit.Sdk.XunitException($"No {name} was exported; exported: {string.Join(", ", exported.Select(m => m.Name).Distinct())}.");

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
