using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Commands;

public sealed partial class JobCommands
{
    /// <summary>
    /// Ends a job that holds instances without waiting for SageMaker: for a job whose SageMaker job is gone, or was
    /// never the queue's, so no state change will ever free its instances. Operators only; the queue asks SageMaker
    /// to stop the attempt anyway, in case it does run. A job that holds nothing throws <see cref="JobFinishedException"/>
    /// when it has ended, and is left as it is when it waits.
    /// </summary>
    public async Task<QueuedJob> ReleaseAsync(string name, JobCaller caller, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsOperator)
        {
            throw new JobAccessDeniedException(name, caller.Principal);
        }

        var now = _time.GetUtcNow();
        var why = $"released by {caller.Principal}: {(string.IsNullOrWhiteSpace(reason) ? "its SageMaker job is gone or not the queue's" : reason)}";
        var change = await _store.UpdateAsync(name, job =>
        {
            if (job.State.IsTerminal())
            {
                throw new JobFinishedException(job);
            }

            if (!JobLifecycle.Allows(job, JobEvent.Released))
            {
                return null;
            }

            var released = JobLifecycle.Move(job, JobEvent.Released, why, now);
            return released.CurrentAttempt is { EndedAt: null } attempt
                ? released.WithCurrentAttempt(attempt with { EndedAt = now, Outcome = "Released", Reason = why })
                : released;
        }, fence: null, cancellationToken: cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(name);

        if (change.Changed)
        {
            LogStateChanged(name, change.After.State, why);
            _signal.Signal(change.After.InstanceType);
            if (change.Before.CurrentAttemptName is { } attemptName)
            {
                await _stopper.StopAsync(name, attemptName, cancellationToken).ConfigureAwait(false);
            }
        }

        return change.After;
    }
}
