using System.Diagnostics;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Diagnostics;

/// <summary>
/// The engine's traces, under one <see cref="ActivitySource"/> named like the meter. A submission records its trace
/// context on the job (<see cref="QueuedJob.TraceParent"/>); the scheduling pass that later starts the job links its start
/// to that context, and the SageMaker call that creates the attempt is a child of the start, so one trace view leads from
/// the client's HTTP call to the SageMaker call, however long the job waited. Without a listener every call returns null
/// at once.
/// </summary>
internal static class QueueTracing
{
    /// <summary>The name of the source, for an exporter's <c>AddSource</c>.</summary>
    public const string SourceName = QueueMetrics.MeterName;

    /// <summary>The job's name on every activity about one job (an attribute, never a metric label).</summary>
    public const string JobNameTag = "queuedtraining.job.name";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The submission of <paramref name="jobName"/>, a child of the caller's request when there is one.</summary>
    public static Activity? Submit(string? jobName) =>
        Source.StartActivity("queuedtraining.submit")?.SetTag(JobNameTag, jobName);

    /// <summary>One scheduling pass over one pool.</summary>
    public static Activity? Pass(string pool) =>
        Source.StartActivity("queuedtraining.schedule")?.SetTag(QueueMetrics.PoolTag, pool);

    /// <summary>Starting an attempt of <paramref name="job"/>: a child of the pass, linked to the job's submission.</summary>
    public static Activity? Start(QueuedJob job, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityLink[]? links = job.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var submitted)
            ? [new ActivityLink(submitted)]
            : null;
        return Source.StartActivity("queuedtraining.start", ActivityKind.Internal, parentContext: default, links: links)
            ?.SetTag(JobNameTag, job.Name)
            .SetTag(QueueMetrics.PoolTag, job.InstanceType)
            .SetTag("queuedtraining.attempt", attempt);
    }

    /// <summary>A call to SageMaker, as OpenTelemetry's RPC conventions name AWS calls.</summary>
    public static Activity? SageMakerCall(string operation, string? trainingJobName) =>
        Source.StartActivity("SageMaker." + operation, ActivityKind.Client)
            ?.SetTag("rpc.system", "aws-api")
            .SetTag("rpc.service", "SageMaker")
            .SetTag("rpc.method", operation)
            .SetTag("aws.sagemaker.training_job.name", trainingJobName);

    /// <summary>The W3C <c>traceparent</c> of the current activity, to be stored with a job; null when nothing traces.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
