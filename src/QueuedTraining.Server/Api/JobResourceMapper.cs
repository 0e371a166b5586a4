using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Api;

/// <summary>Shows a stored job as the API's resource, with its queue position and the reason it waits.</summary>
internal sealed class JobResourceMapper(IJobStore store, IOptionsMonitor<QueueOptions> options, TimeProvider time)
{
    private static readonly IReadOnlyList<QueuedJob> NotRead = [];

    public async Task<TrainingJobResource> ToResourceAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        if (!job.State.IsWaiting())
        {
            return ToResource(job, null, job.Reason);
        }

        var position = await store.CountWaitingAheadAsync(job, cancellationToken).ConfigureAwait(false) + 1;

        // Only the head's reason depends on the pool; the jobs behind it need just their place in line.
        var now = time.GetUtcNow();
        var head = position == 1 && !job.IsBackingOffAt(now);
        var holding = head ? await store.GetHoldingCapacityAsync(job.InstanceType, cancellationToken).ConfigureAwait(false) : NotRead;
        int? capacity = options.CurrentValue.Capacity.TryGetValue(job.InstanceType, out var instances) ? instances : null;
        return ToResource(job, position, WaitingReason.Describe(job, position, holding, capacity, now) ?? job.Reason);
    }

    private static TrainingJobResource ToResource(QueuedJob job, long? position, string? reason) => new()
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
        Reason = reason,
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
}
