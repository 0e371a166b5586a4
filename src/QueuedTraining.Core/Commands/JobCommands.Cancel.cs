using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Commands;

public sealed partial class JobCommands
{
    /// <summary>
    /// Cancels a waiting job, or stops a job that has started (it holds its instances until SageMaker
    /// reports it stopped). Asking again while it stops changes nothing. A finished job throws
    /// <see cref="JobFinishedException"/>; a job of another owner throws <see cref="JobAccessDeniedException"/>
    /// unless <paramref name="caller"/> is an operator.
    /// </summary>
    public async Task<QueuedJob> CancelAsync(string name, JobCaller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = _time.GetUtcNow();
        var change = await _store.UpdateAsync(name, job =>
        {
            caller.EnsureMayChange(job);
            return job.State switch
            {
                JobState.Stopping => null,
                _ when JobLifecycle.Allows(job, JobEvent.Cancelled) => JobLifecycle.Move(job, JobEvent.Cancelled, $"cancelled by {caller.Principal}", now),
                _ when JobLifecycle.Allows(job, JobEvent.StopRequested) => JobLifecycle.Move(job, JobEvent.StopRequested, $"stop requested by {caller.Principal}", now),
                _ => throw new JobFinishedException(job),
            };
        }, fence: null, cancellationToken: cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(name);

        var job = change.After;
        if (change.Changed)
        {
            LogStateChanged(job.Name, job.State, job.Reason ?? string.Empty);
            _metrics.Ended(job.InstanceType, job.State);
            _signal.Signal(job.InstanceType);
        }

        if (job.State == JobState.Stopping && job.CurrentAttemptName is { } attemptName)
        {
            await _stopper.StopAsync(job.Name, attemptName, cancellationToken).ConfigureAwait(false);
        }

        return job;
    }
}
