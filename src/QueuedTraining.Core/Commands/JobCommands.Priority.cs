using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Commands;

public sealed partial class JobCommands
{
    /// <summary>
    /// Changes a job's priority. A waiting job moves in the queue at once (it keeps its enqueue time);
    /// a running job's new priority counts the next time preemption is considered.
    /// </summary>
    public async Task<QueuedJob> ChangePriorityAsync(string name, int priority, JobCaller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = _time.GetUtcNow();
        var change = await _store.UpdateAsync(name, job =>
        {
            caller.EnsureMayChange(job);

            // The ceiling is the job's team's, so it is checked against the job as read.
            if (PriorityCeilingError(caller, priority, "priority", job.Team) is { } tooHigh)
            {
                throw new JobValidationException([tooHigh]);
            }

            if (!JobLifecycle.Allows(job, JobEvent.PriorityChanged))
            {
                throw new JobFinishedException(job);
            }

            return job.Priority == priority
                ? null
                : JobLifecycle.Move(job, JobEvent.PriorityChanged, $"priority changed from {job.Priority} to {priority} by {caller.Principal}", now) with { Priority = priority };
        }, fence: null, cancellationToken: cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(name);

        if (change.Changed)
        {
            LogStateChanged(name, change.After.State, change.After.Reason ?? string.Empty);
            _signal.Signal(change.After.InstanceType);
        }

        return change.After;
    }
}
