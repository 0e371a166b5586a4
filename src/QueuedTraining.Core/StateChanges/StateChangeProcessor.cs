using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.StateChanges;

/// <summary>
/// Applies SageMaker state changes, from EventBridge events, the simulated backend or reconciliation
/// polling, to the queued job whose current attempt they name, and wakes the scheduler when instances free up.
/// </summary>
public sealed partial class StateChangeProcessor
{
    private readonly MeteredJobStore _store;
    private readonly SchedulerSignal _signal;
    private readonly QueueMetrics _metrics;
    private readonly ILogger<StateChangeProcessor> _logger;
    private readonly RuntimeHistory? _history;

    /// <summary>Creates the processor; <paramref name="history"/> learns from each completion it applies.</summary>
    internal StateChangeProcessor(IJobStore store, SchedulerSignal signal, QueueMetrics metrics, ILogger<StateChangeProcessor> logger, RuntimeHistory? history = null)
    {
        _metrics = metrics;
        _store = new MeteredJobStore(store, metrics);
        _signal = signal;
        _logger = logger;
        _history = history;
    }

    /// <summary>Applies one change; returns the job's state afterwards, or null when no queued job matches.</summary>
    public async Task<JobState?> HandleAsync(TrainingJobStateChange change, CancellationToken cancellationToken = default) =>
        (await ApplyAsync(change, cancellationToken).ConfigureAwait(false))?.After.State;

    /// <summary>
    /// Applies one change; returns the job before and after, with <see cref="JobChange.Changed"/> false when the job
    /// already reflected it (a duplicate, or another path got there first), or null when no queued job matches.
    /// </summary>
    public async Task<JobChange?> ApplyAsync(TrainingJobStateChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var job = await _store.FindByAttemptNameAsync(change.TrainingJobName, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            LogUnmatched(change.TrainingJobName, change.TrainingJobStatus);
            return null;
        }

        return await ApplyAsync(job, change, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies one change to <paramref name="job"/>, a job the caller has just read: no second look-up.</summary>
    internal async Task<JobChange?> ApplyAsync(QueuedJob job, TrainingJobStateChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(change);

        // What SageMaker reported, it reports again to reconciliation's describe: losing this write loses nothing.
        var result = await _store.UpdateAsync(job, j => AttemptStateTransitions.Apply(j, change), fence: null, WriteDurability.Deferred, cancellationToken).ConfigureAwait(false);
        if (result is { Changed: true })
        {
            LogApplied(result.After.Name, change.TrainingJobName, change.TrainingJobStatus, result.After.State);
            _metrics.Changed(result);

            if (result.After.State == JobState.Completed && result.Before.State != JobState.Completed)
            {
                _history?.Record(result.After);
            }

            if (!result.After.State.HoldsCapacity() || result.Before.State != result.After.State)
            {
                _signal.Signal(result.After.InstanceType);
            }
        }

        return result;
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "No queued job has SageMaker job {AttemptName} as its current attempt; ignoring {Status}")]
    private partial void LogUnmatched(string attemptName, string status);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "{JobName}: SageMaker job {AttemptName} is {Status}; job is now {State}")]
    private partial void LogApplied(string jobName, string attemptName, string status, JobState state);
}
