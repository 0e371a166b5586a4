using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Commands;

/// <summary>
/// What users ask of the queue: submit a job, cancel or stop it, change its priority. Each command is
/// one conditional write (nothing half-written on failure) followed by a nudge to the scheduler.
/// </summary>
public sealed partial class JobCommands
{
    private readonly MeteredJobStore _store;
    private readonly AttemptStopper _stopper;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly SchedulerSignal _signal;
    private readonly TimeProvider _time;
    private readonly QueueMetrics _metrics;
    private readonly ILogger<JobCommands> _logger;
    private readonly ArrivalHistory? _arrivals;

    /// <summary>Creates the command handler.</summary>
    internal JobCommands(
        IJobStore store,
        AttemptStopper stopper,
        IOptionsMonitor<QueueOptions> options,
        SchedulerSignal signal,
        TimeProvider time,
        QueueMetrics metrics,
        ILogger<JobCommands> logger,
        ArrivalHistory? arrivals = null)
    {
        _arrivals = arrivals;
        _metrics = metrics;
        _store = new MeteredJobStore(store, metrics);
        _stopper = stopper;
        _options = options;
        _signal = signal;
        _time = time;
        _logger = logger;
    }

    /// <summary>The refusal of a priority above what <paramref name="caller"/> may set, or null when it may.</summary>
    private FieldError? PriorityCeilingError(JobCaller caller, int priority, string field, string team)
    {
        if (caller.IsOperator)
        {
            return null;
        }

        var ceiling = _options.CurrentValue.MaxPriorityFor(caller.Principal, team);
        return priority <= ceiling
            ? null
            : new FieldError(ProblemCodes.PriorityAboveLimit, field, $"Priority {priority} is above {ceiling}, the highest '{caller.Principal}' may set for team '{team}'; an operator can set more.");
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Queued training job {JobName} (owner {Owner}, priority {Priority}, {InstanceCount} x {InstanceType})")]
    private partial void LogQueued(string jobName, string owner, int priority, int instanceCount, string instanceType);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Training job {JobName} is now {State}: {Reason}")]
    private partial void LogStateChanged(string jobName, Contracts.Queue.JobState state, string reason);

}
