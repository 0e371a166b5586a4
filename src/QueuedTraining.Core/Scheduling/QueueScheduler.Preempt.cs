using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Scheduling;

public sealed partial class QueueScheduler
{
    /// <summary>
    /// Marks the victim preempting (fenced) and asks SageMaker to stop its attempt. It keeps its instances
    /// until SageMaker reports the attempt stopped; then it waits again with its original enqueue time.
    /// </summary>
    private async Task<bool> PreemptAsync(QueuedJob victim, QueuedJob candidate, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var reason = $"preempted for {candidate.Name} (priority {candidate.Priority} > {victim.Priority})";
        var updated = victim.TransitionTo(JobState.Preempting, reason, _time.GetUtcNow());
        var result = await _store.TryUpdateAsync(victim, updated, fence, cancellationToken: cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case JobUpdateOutcome.FenceRejected:
                throw new LeaseLostException(fence!);
            case JobUpdateOutcome.VersionConflict or JobUpdateOutcome.NotFound:
                return false;
        }

        LogPreempting(victim.Name, victim.CurrentAttemptName ?? "?", candidate.Name);
        if (victim.CurrentAttemptName is { } attemptName)
        {
            await StopQuietlyAsync(attemptName, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Asks SageMaker to stop an attempt; failures are left to reconciliation, which asks again.</summary>
    internal async Task StopQuietlyAsync(string attemptName, CancellationToken cancellationToken)
    {
        if (await _backend.TryStopAsync(attemptName, cancellationToken).ConfigureAwait(false) is { } error)
        {
            LogStopFailed(error, attemptName);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Preempting {JobName} (SageMaker job {AttemptName}) for {CandidateName}")]
    private partial void LogPreempting(string jobName, string attemptName, string candidateName);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Stopping SageMaker job {AttemptName} failed; reconciliation will retry")]
    private partial void LogStopFailed(Exception exception, string attemptName);
}
