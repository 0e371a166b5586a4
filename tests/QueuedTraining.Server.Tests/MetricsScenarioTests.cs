using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
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

        // One ml.g5.xlarge: low runs, high preempts it and completes, then low resumes and completes.
        await service.SubmitAsync(TestJobs.Request("metrics-low", 1, TestJobs.G5, simSeconds: 2));
        await service.WaitForStateAsync("metrics-low", JobState.Running);
        await service.SubmitAsync(TestJobs.Request("metrics-high", 9, TestJobs.G5, simSeconds: 1));
        await service.WaitForStateAsync("metrics-high", JobState.Completed);
        await service.WaitForStateAsync("metrics-low", JobState.Completed);
        service.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Equal(3, Sum(exported, "queuedtraining.job.starts", ("queuedtraining.pool", TestJobs.G5)));
        Assert.Equal(2, Sum(exported, "queuedtraining.job.ends", ("queuedtraining.pool", TestJobs.G5), ("queuedtraining.outcome", "completed")));
        Assert.Equal(1, Sum(exported, "queuedtraining.job.preemptions", ("queuedtraining.pool", TestJobs.G5)));
        Assert.Equal(3, Sum(exported, "queuedtraining.sagemaker.calls", ("queuedtraining.sagemaker.operation", "CreateTrainingJob"), ("queuedtraining.outcome", "success")));
        Assert.Equal(1, Sum(exported, "queuedtraining.sagemaker.calls", ("queuedtraining.sagemaker.operation", "StopTrainingJob"), ("queuedtraining.outcome", "success")));
        Assert.Equal(2, HistogramCount(exported, "queuedtraining.job.wait.duration", ("queuedtraining.pool", TestJobs.G5)));
        Assert.True(HistogramCount(exported, "queuedtraining.scheduler.pass.duration", ("queuedtraining.pool", TestJobs.G5)) >= 3);
        Assert.True(Points(exported, "queuedtraining.job.preemption.work_lost", ("queuedtraining.pool", TestJobs.G5)).Single().GetSumDouble() > 0);
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
