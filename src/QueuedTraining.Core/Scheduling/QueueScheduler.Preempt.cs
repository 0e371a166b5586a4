using System.Globalization;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Scheduling;

internal sealed partial class QueueScheduler
{
    /// <summary>
    /// Marks the victim preempting (fenced) and asks SageMaker to stop its attempt. It keeps its instances
    /// until SageMaker reports the attempt stopped; then it waits again with its original enqueue time.
    /// </summary>
    private async Task<bool> PreemptAsync(Preemption preemption, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var (victim, candidate, _) = preemption;
        // The victim is running, so this preemption is its next one.
        var now = _time.GetUtcNow();
        var workLost = VictimOrder.WorkLostInstanceSeconds(victim, now);
        var reason = PreemptionReason(victim, candidate, preemption.ReclaimedFor, victim.Preemptions + 1, workLost);
        var costed = victim.CurrentAttempt is { } current ? victim.WithCurrentAttempt(current with { WorkLostInstanceSeconds = workLost }) : victim;
        var updated = JobLifecycle.Move(costed, JobEvent.PreemptRequested, reason, now);
        var result = await _store.TryUpdateAsync(victim, updated, fence, cancellationToken: cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case JobUpdateOutcome.FenceRejected:
                throw new LeaseLostException(fence!);
            case JobUpdateOutcome.VersionConflict or JobUpdateOutcome.NotFound:
                return false;
        }

        _metrics.Preempted(victim.InstanceType, preemption.Rule, workLost);
        LogPreempting(victim.Name, victim.CurrentAttemptName ?? "?", candidate.Name);
        if (victim.CurrentAttemptName is { } attemptName)
        {
            await _stopper.StopAsync(victim.Name, attemptName, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Why the victim gives way, in the catalog's words: the job it makes room for, the rule that allowed it (priority, or
    /// another team taking back its lent quota), the work it costs and how much of its preemption budget it spends, for
    /// its history.
    /// </summary>
    private string PreemptionReason(QueuedJob victim, QueuedJob candidate, string? reclaimedFor, int preemptions, double workLost)
    {
        var budget = _options.CurrentValue.MaxPreemptionsPerJob;
        var spent = budget == 0
            ? string.Create(CultureInfo.InvariantCulture, $"preemption {preemptions}, no limit")
            : string.Create(CultureInfo.InvariantCulture, $"preemption {preemptions} of at most {budget}");
        var saved = victim.CheckpointS3Uri is null ? "no checkpoint" : victim.LastCheckpointAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"last checkpoint {at:O}") : "no checkpoint seen yet";
        var cost = string.Create(CultureInfo.InvariantCulture, $"{spent}; {workLost:0} instance-seconds of work lost, {saved}");
        return reclaimedFor is null
            ? string.Create(CultureInfo.InvariantCulture, $"preempted for {candidate.Name} (priority {candidate.Priority} > {victim.Priority}; {cost})")
            : string.Create(CultureInfo.InvariantCulture, $"preempted to give team {reclaimedFor} back its {victim.InstanceType} quota, which team {victim.Team} was borrowing (for {candidate.Name}; {cost})");
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Preempting {JobName} (SageMaker job {AttemptName}) for {CandidateName}")]
    private partial void LogPreempting(string jobName, string attemptName, string candidateName);
}
