using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.StateChanges;

/// <summary>
/// Heals lost events: describes the current attempt of every job that holds instances and applies what
/// SageMaker says, re-sends stop requests that did not take, and requeues jobs whose attempt SageMaker
/// has no record of. Reads only the capacity-holding jobs of each pool (an index read), never all jobs. Each repair is
/// counted (<c>queuedtraining.reconciliation.repairs</c>): a steady count means events are being lost.
/// </summary>
internal sealed partial class AttemptReconciler
{
    private readonly MeteredJobStore _store;
    private readonly MeteredSageMakerClient _backend;
    private readonly StateChangeProcessor _processor;
    private readonly AttemptStopper _stopper;
    private readonly SchedulerSignal _signal;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly QueueMetrics _metrics;
    private readonly ILogger<AttemptReconciler> _logger;

    /// <summary>Creates the reconciler.</summary>
    public AttemptReconciler(
        IJobStore store,
        ISageMakerTrainingClient backend,
        StateChangeProcessor processor,
        AttemptStopper stopper,
        SchedulerSignal signal,
        IOptionsMonitor<QueueOptions> options,
        TimeProvider time,
        QueueMetrics metrics,
        ILogger<AttemptReconciler> logger)
    {
        _store = new MeteredJobStore(store, metrics);
        _metrics = metrics;
        _backend = new MeteredSageMakerClient(backend, metrics);
        _processor = processor;
        _stopper = stopper;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reconciles every pool once; returns how many jobs changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var instanceType in _options.CurrentValue.Capacity.Keys)
        {
            foreach (var job in await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false))
            {
                if (await ReconcileAsync(job, cancellationToken).ConfigureAwait(false))
                {
                    changed++;
                }
            }
        }

        return changed;
    }

    private async Task<bool> ReconcileAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        if (job.CurrentAttemptName is not { } attemptName)
        {
            return false;
        }

        DescribeTrainingJobResponse description;
        try
        {
            description = await _backend.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
        }
        catch (SageMakerResourceNotFoundException)
        {
            return await RequeueAsync(job, attemptName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            LogDescribeFailed(ex, attemptName);
            return false;
        }

        var status = description.TrainingJobStatus ?? TrainingJobStatus.InProgress;
        if (status == TrainingJobStatus.InProgress && job.State is JobState.Preempting or JobState.Stopping)
        {
            // The stop request was lost or refused: ask again.
            LogStopAgain(job.Name, attemptName);
            _metrics.Repaired(job.InstanceType, QueueMetrics.RepairStopResent);
            await _stopper.StopAsync(job.Name, attemptName, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var at = description.TrainingEndTime ?? description.LastModifiedTime ?? _time.GetUtcNow();
        var change = new TrainingJobStateChange(attemptName, status, description.SecondaryStatus, description.FailureReason, at);

        // Healed only if this call moved the job: an event may have landed while SageMaker was being asked.
        var applied = await _processor.ApplyAsync(job, change, cancellationToken).ConfigureAwait(false);
        if (applied is { Changed: true } && applied.Before.State != applied.After.State)
        {
            LogHealed(job.Name, attemptName, status);
            _metrics.Repaired(job.InstanceType, applied.After.State);
            return true;
        }

        return false;
    }

    private async Task<bool> RequeueAsync(QueuedJob job, string attemptName, CancellationToken cancellationToken)
    {
        var result = await _store.UpdateAsync(job, j => AttemptStateTransitions.Requeue(j, attemptName, _time.GetUtcNow()), fence: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result is { Changed: true })
        {
            LogRequeued(job.Name, attemptName);
            _metrics.Repaired(job.InstanceType, QueueMetrics.RepairRequeued);
            _signal.Signal(job.InstanceType);
            return true;
        }

        return false;
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Reconciliation healed {JobName}: SageMaker job {AttemptName} is {Status} (an event was missed)")]
    private partial void LogHealed(string jobName, string attemptName, string status);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "SageMaker has no record of {AttemptName}; {JobName} goes back to the queue")]
    private partial void LogRequeued(string jobName, string attemptName);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Reconciliation could not reach SageMaker about {AttemptName}")]
    private partial void LogDescribeFailed(Exception exception, string attemptName);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "{JobName}: SageMaker job {AttemptName} still runs; asking it to stop again")]
    private partial void LogStopAgain(string jobName, string attemptName);
}
