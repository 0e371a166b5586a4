using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Queries;
using QueuedTraining.Server.Hosting;

namespace QueuedTraining.Server.Api;

/// <summary>Shows a <see cref="JobView"/> as the HTTP API's resource.</summary>
internal static class JobResourceMapper
{
    /// <summary>The resource, with the backend of the service answering <paramref name="context"/>.</summary>
    public static TrainingJobResource ToResource(this JobView view, HttpContext context) =>
        view.ToResource(context.RequestServices.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue.Backend);

    /// <summary>
    /// The resource. <paramref name="backend"/> tells clients whether SageMaker knows the job's attempts: the client's
    /// decorator describes attempts of the simulated backend from the queue instead of asking SageMaker.
    /// </summary>
    public static TrainingJobResource ToResource(this JobView view, string? backend)
    {
        var job = view.Job;
        return new()
        {
            Name = job.Name,
            Owner = job.Owner,
            Team = job.Team,
            State = job.State,
            Priority = job.Priority,
            InstanceType = job.InstanceType,
            InstanceCount = job.InstanceCount,
            EnqueuedAt = job.EnqueuedAt,
            UpdatedAt = job.UpdatedAt,
            QueuePosition = view.QueuePosition,
            Reason = view.Reason,
            ReasonCode = view.ReasonCode,
            EffectivePriority = view.EffectivePriority,
            ExpectedStart = view.ExpectedStart.ToResource(),
            CurrentAttemptName = job.CurrentAttemptName,
            ModelArtifacts = job.CurrentAttemptName is { } attempt ? ModelArtifactsLocation.For(S3OutputPath(job.RequestJson), attempt) : null,
            EndedAt = job.EndedAt,
            Preemptions = job.Preemptions,
            PreemptionsLeft = view.PreemptionsLeft,
            WorkLostInstanceSeconds = job.Attempts.Sum(a => a.WorkLostInstanceSeconds ?? 0),
            Attempts = job.Attempts.Select(a => new JobAttemptResource
            {
                Number = a.Number,
                SageMakerJobName = a.SageMakerJobName,
                StartedAt = a.StartedAt,
                EndedAt = a.EndedAt,
                Outcome = a.Outcome,
                Reason = a.Reason,
                WorkLostInstanceSeconds = a.WorkLostInstanceSeconds,
            }).ToList(),
            Backend = backend,
            History = job.History.Select(h => new JobHistoryEntryResource { At = h.At, State = h.State, Reason = h.Reason }).ToList(),
        };
    }

    /// <summary>An expected start as the API shows it; null stays null.</summary>
    public static ExpectedStartResource? ToResource(this ExpectedStart? start) =>
        start is null ? null : new() { Earliest = start.Earliest, Likely = start.Likely, Latest = start.Latest, Basis = start.Basis };

    /// <summary>The request's <c>OutputDataConfig.S3OutputPath</c>; read only for jobs that have an attempt.</summary>
    private static string? S3OutputPath(string requestJson)
    {
        using var request = JsonDocument.Parse(requestJson);
        return request.RootElement.TryGetProperty("OutputDataConfig", out var output)
            && output.ValueKind == JsonValueKind.Object
            && output.TryGetProperty("S3OutputPath", out var path)
            && path.ValueKind == JsonValueKind.String
                ? path.GetString()
                : null;
    }
}
