using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Diagnostics;

/// <summary>
/// The engine's metrics, all under one <see cref="Meter"/> named <see cref="MeterName"/>, in OpenTelemetry's
/// semantic-convention style (dotted lower-case names, UCUM units, counts in curly braces). The few places that decide
/// call it; the planner stays pure. Labels are bounded: the pool (a configured instance type), a configured team, a
/// priority band, an outcome, a SageMaker or store operation, a kind of repair; never a job's name. docs/observability.md lists every instrument.
/// </summary>
internal sealed class QueueMetrics
{
    /// <summary>The name of the meter, for an exporter's <c>AddMeter</c>.</summary>
    public const string MeterName = "QueuedTraining";

    public const string PoolTag = "queuedtraining.pool";
    public const string OutcomeTag = "queuedtraining.outcome";
    public const string InstanceStateTag = "queuedtraining.instance.state";
    public const string OperationTag = "queuedtraining.sagemaker.operation";
    public const string RuleTag = "queuedtraining.preemption.rule";
    public const string TeamTag = "queuedtraining.team";
    public const string PriorityBandTag = "queuedtraining.priority.band";
    public const string RepairTag = "queuedtraining.repair";
    public const string StoreOperationTag = "queuedtraining.store.operation";

    /// <summary>A repair: SageMaker had no record of the attempt, so the job went back to the queue.</summary>
    public const string RepairRequeued = "requeued";

    /// <summary>A repair: SageMaker still ran an attempt the store was stopping, so the stop was sent again.</summary>
    public const string RepairStopResent = "stop_resent";

    private static readonly double[] WaitBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, 259200];
    private static readonly double[] PassBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    // What each pool's last pass saw, adjusted by what that pass did since: read by the observable gauges, so a
    // collection never reads the store.
    private readonly ConcurrentDictionary<string, PoolReading> _pools = new(StringComparer.Ordinal);
    private TeamLabelSet? _teamLabels;
    private readonly Counter<long> _starts;
    private readonly Counter<long> _ends;
    private readonly Counter<long> _preemptions;
    private readonly Counter<double> _workLost;
    private readonly Histogram<double> _waitDuration;
    private readonly Histogram<double> _passDuration;
    private readonly Counter<long> _sageMakerCalls;
    private readonly Counter<long> _repairs;
    private readonly Histogram<double> _commitDuration;
    private readonly TimeProvider _time;

    public QueueMetrics(IMeterFactory meterFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("queuedtraining.pool.jobs.waiting", ObserveWaiting, "{job}",
            "Waiting jobs of a pool as its last scheduling pass read them; when the pool is full the pass reads only as far as the first job that cannot start, so this is then a lower bound.");
        meter.CreateObservableGauge("queuedtraining.team.jobs.waiting", ObserveWaitingByTeam, "{job}",
            "The waiting jobs of queuedtraining.pool.jobs.waiting by team (a configured team, else default) and priority band (negative, 0-9, 10-99, 100-999, 1000+).");
        meter.CreateObservableGauge("queuedtraining.pool.instances", ObserveInstances, "{instance}",
            "Instances of a pool held by jobs (state used) or free (state free), as of its last scheduling pass and the starts it made.");
        _starts = meter.CreateCounter<long>("queuedtraining.job.starts", "{attempt}",
            "Attempts that started: SageMaker accepted them and the job runs.");
        _ends = meter.CreateCounter<long>("queuedtraining.job.ends", "{job}",
            "Jobs that ended, by outcome: completed, failed, stopped (while running) or cancelled (while waiting).");
        _preemptions = meter.CreateCounter<long>("queuedtraining.job.preemptions", "{job}",
            "Running jobs the scheduler decided to preempt, by the rule that allowed it.");
        _workLost = meter.CreateCounter<double>("queuedtraining.job.preemption.work_lost", "s",
            "Work the scheduler's preemptions cost, in instance-seconds: each victim's time since its last checkpoint (or since its attempt started) times its instances, by the rule that allowed it.");
        _waitDuration = meter.CreateHistogram("queuedtraining.job.wait.duration", "s",
            "Time from a job's submission to the start of its first attempt that ran.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _passDuration = meter.CreateHistogram("queuedtraining.scheduler.pass.duration", "s",
            "Duration of one scheduling pass over one pool: read, plan and apply (SageMaker calls included).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PassBuckets });
        _sageMakerCalls = meter.CreateCounter<long>("queuedtraining.sagemaker.calls", "{call}",
            "SageMaker calls the engine made, by operation and outcome (success, or the error: SageMaker's error code, Timeout, Transport).");
        _repairs = meter.CreateCounter<long>("queuedtraining.reconciliation.repairs", "{job}",
            "Jobs reconciliation repaired because SageMaker's state differed from the store's, by repair: the state the job was moved to, requeued (SageMaker had no record of the attempt) or stop_resent.");
        _commitDuration = meter.CreateHistogram("queuedtraining.store.commit.duration", "s",
            "Duration of the engine's writes to the job store, by operation (add, update, remove_finished, lease), whether they succeeded or not.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
    }

    /// <summary>
    /// A pool's pass read its snapshot: <paramref name="waiting"/> (the waiting jobs it read) counted over
    /// <paramref name="teams"/> (the configured teams), <paramref name="used"/> of <paramref name="capacity"/> held.
    /// </summary>
    public void Planned(string pool, int capacity, int used, IReadOnlyCollection<QueuedJob> waiting, IEnumerable<string> teams)
    {
        // The labels are sorted once per settings: a reload brings a new collection of team names.
        var labels = _teamLabels;
        if (labels is null || !ReferenceEquals(labels.Teams, teams))
        {
            labels = new TeamLabelSet(teams, WaitingGroups.TeamLabels(teams));
            _teamLabels = labels;
        }

        _pools[pool] = new PoolReading(waiting.Count, used, capacity, WaitingGroups.Of(labels.Labels, waiting));
    }

    /// <summary>An attempt of <paramref name="job"/> started (the job moved from starting to running) at <paramref name="now"/>.</summary>
    public void Started(QueuedJob job, bool firstRun, DateTimeOffset now)
    {
        var pool = new KeyValuePair<string, object?>(PoolTag, job.InstanceType);
        _starts.Add(1, pool);
        if (firstRun)
        {
            _waitDuration.Record(Math.Max(0, (now - job.EnqueuedAt).TotalSeconds), pool);
        }
    }

    /// <summary>A claim of instances was made to start <paramref name="job"/>: the pool's reading moves them from free to used at once.</summary>
    public void Claimed(QueuedJob job) =>
        _pools.AddOrUpdate(
            job.InstanceType,
            static (_, _) => new PoolReading(0, 0, 0, WaitingGroups.Empty),
            static (_, r, j) => r with { Waiting = Math.Max(0, r.Waiting - 1), Used = r.Used + j.InstanceCount, Groups = r.Groups.Without(j) },
            job);

    /// <summary>
    /// Counts what a committed change of state means: an attempt confirmed running (starting → running) is a start, a
    /// final state an end. The scheduler and SageMaker's events both confirm starts, whichever comes first; each calls
    /// this with its own committed change, so a start is counted once, by the write that made it.
    /// </summary>
    public void Changed(JobChange? change)
    {
        if (change is not { Changed: true } || change.Before.State == change.After.State)
        {
            return;
        }

        if (change.Before.State == JobState.Starting && change.After.State == JobState.Running)
        {
            // The first start that ran ends the job's wait; a resume after preemption does not.
            var firstRun = !change.Before.History.Any(entry => entry.State == JobState.Running);
            Started(change.After, firstRun, change.After.UpdatedAt);
        }

        Ended(change.After.InstanceType, change.After.State);
    }

    /// <summary>A job ended in <paramref name="state"/> (a final state).</summary>
    public void Ended(string pool, JobState state)
    {
        var outcome = state switch
        {
            JobState.Completed => "completed",
            JobState.Failed => "failed",
            JobState.Stopped => "stopped",
            JobState.Cancelled => "cancelled",
            _ => null,
        };
        if (outcome is not null)
        {
            _ends.Add(1, new KeyValuePair<string, object?>(PoolTag, pool), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }

    /// <summary>
    /// The scheduler committed the decision to preempt a job of <paramref name="pool"/> under <paramref name="rule"/>, costing
    /// <paramref name="workLostInstanceSeconds"/>.
    /// </summary>
    public void Preempted(string pool, Planning.PreemptionRule rule, double workLostInstanceSeconds)
    {
        var tags = new TagList { { PoolTag, pool }, { RuleTag, Planning.ReasonCatalog.For(rule).Code } };
        _preemptions.Add(1, tags);
        _workLost.Add(workLostInstanceSeconds, tags);
    }

    /// <summary>A pass over <paramref name="pool"/> took <paramref name="elapsed"/>.</summary>
    public void PassCompleted(string pool, TimeSpan elapsed) =>
        _passDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(PoolTag, pool));

    /// <summary>A SageMaker call ended; <paramref name="error"/> is null when it succeeded.</summary>
    public void SageMakerCalled(string operation, Exception? error) =>
        _sageMakerCalls.Add(1, new KeyValuePair<string, object?>(OperationTag, operation), new KeyValuePair<string, object?>(OutcomeTag, CallOutcome(error)));

    /// <summary>Reconciliation moved a job of <paramref name="pool"/> to <paramref name="state"/>, the state SageMaker reported.</summary>
    public void Repaired(string pool, JobState state) => Repaired(pool, StateLabel(state));

    /// <summary>Reconciliation repaired a job of <paramref name="pool"/>: <paramref name="repair"/> is <see cref="RepairRequeued"/> or <see cref="RepairStopResent"/>.</summary>
    public void Repaired(string pool, string repair) =>
        _repairs.Add(1, new KeyValuePair<string, object?>(PoolTag, pool), new KeyValuePair<string, object?>(RepairTag, repair));

    /// <summary>A timestamp to pass to <see cref="StoreWritten"/> when the write ends.</summary>
    public long StoreWriteBegins() => _time.GetTimestamp();

    /// <summary>A store write of <paramref name="operation"/>, begun at <paramref name="began"/>, ended (either way).</summary>
    public void StoreWritten(string operation, long began) =>
        _commitDuration.Record(_time.GetElapsedTime(began).TotalSeconds, new KeyValuePair<string, object?>(StoreOperationTag, operation));

    private static string StateLabel(JobState state) => state switch
    {
        JobState.Pending => "pending",
        JobState.Starting => "starting",
        JobState.Running => "running",
        JobState.Preempting => "preempting",
        JobState.Preempted => "preempted",
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Stopping => "stopping",
        JobState.Stopped => "stopped",
        JobState.Cancelled => "cancelled",
        _ => "other",
    };

    private static string CallOutcome(Exception? error) => error switch
    {
        null => "success",
        Contracts.SageMaker.SageMakerException sageMaker => sageMaker.ErrorCode,
        TimeoutException => "Timeout",
        HttpRequestException => "Transport",
        OperationCanceledException => "Cancelled",
        _ => "Error",
    };

    private IEnumerable<Measurement<long>> ObserveWaiting()
    {
        foreach (var (pool, reading) in _pools)
        {
            yield return new Measurement<long>(reading.Waiting, new KeyValuePair<string, object?>(PoolTag, pool));
        }
    }

    private IEnumerable<Measurement<long>> ObserveInstances()
    {
        foreach (var (pool, reading) in _pools)
        {
            var poolTag = new KeyValuePair<string, object?>(PoolTag, pool);
            yield return new Measurement<long>(reading.Used, poolTag, new KeyValuePair<string, object?>(InstanceStateTag, "used"));
            yield return new Measurement<long>(Math.Max(0, reading.Capacity - reading.Used), poolTag, new KeyValuePair<string, object?>(InstanceStateTag, "free"));
        }
    }

    private IEnumerable<Measurement<long>> ObserveWaitingByTeam()
    {
        foreach (var (pool, reading) in _pools)
        {
            foreach (var (team, band, count) in reading.Groups.Read())
            {
                yield return new Measurement<long>(count, new TagList { { PoolTag, pool }, { TeamTag, team }, { PriorityBandTag, band } });
            }
        }
    }

    private sealed record PoolReading(long Waiting, long Used, long Capacity, WaitingGroups Groups);

    /// <summary>The configured teams of one version of the settings, and their labels in order.</summary>
    private sealed record TeamLabelSet(IEnumerable<string> Teams, string[] Labels);
}
