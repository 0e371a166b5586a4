using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Queries;

namespace QueuedTraining.Server.Api;

/// <summary>Shows a <see cref="JobView"/> as the HTTP API's resource.</summary>
internal static class JobResourceMapper
{
    public static TrainingJobResource ToResource(this JobView view)
    {
        var job = view.Job;
        return new()
        {
            Name = job.Name,
            Owner = job.Owner,
            State = job.State,
            Priority = job.Priority,
            InstanceType = job.InstanceType,
            InstanceCount = job.InstanceCount,
            EnqueuedAt = job.EnqueuedAt,
            UpdatedAt = job.UpdatedAt,
            QueuePosition = view.QueuePosition,
            Reason = view.Reason,
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
}
