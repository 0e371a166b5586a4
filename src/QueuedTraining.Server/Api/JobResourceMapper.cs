using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Api;

/// <summary>Shows a stored job as the API's resource, with its queue position while it waits.</summary>
internal sealed class JobResourceMapper(IJobStore store)
{
    public async Task<TrainingJobResource> ToResourceAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        long? position = job.State.IsWaiting()
            ? await store.CountWaitingAheadAsync(job, cancellationToken).ConfigureAwait(false) + 1
            : null;
        return ToResource(job, position);
    }

    public static TrainingJobResource ToResource(QueuedJob job, long? position) => new()
    {
        Name = job.Name,
        Owner = job.Owner,
        State = job.State,
        Priority = job.Priority,
        InstanceType = job.InstanceType,
        InstanceCount = job.InstanceCount,
        EnqueuedAt = job.EnqueuedAt,
        UpdatedAt = job.UpdatedAt,
        QueuePosition = position,
        Reason = DescribeReason(job, position),
        CurrentAttemptName = job.CurrentAttemptName,
        Attempts = job.Attempts.Select(a => new JobAttemptResource
        {
            Number = a.Number,
            SageMakerJobName = a.SageMakerJobName,
            StartedAt = a.StartedAt,
            EndedAt = a.EndedAt,
            Outcome = a.Outcome,
            Reason = a.Reason,
        }).ToList(),
        History = job.History.Select(h => new JobHistoryEntryResource { At = h.At, State = h.State, Reason = h.Reason }).ToList(),
    };

    /// <summary>
    /// The scheduler records a reason on the job at the head of a pool only; for the jobs behind it the
    /// reason is their place in line, which changes with every start and would be wasteful to store.
    /// </summary>
    private static string? DescribeReason(QueuedJob job, long? position) =>
        position > 1 && job.NotBefore is null
            ? string.Create(CultureInfo.InvariantCulture, $"waiting: {position - 1} job(s) ahead in the {job.InstanceType} queue")
            : job.Reason;
}
