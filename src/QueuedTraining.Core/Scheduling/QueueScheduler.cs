using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Storage;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// Runs the scheduler's passes: for each pool, read a snapshot from the store, ask the <see cref="QueuePlanner"/>
/// what to do, and apply the plan. Every decision is a fenced conditional write made before SageMaker is called,
/// so capacity is claimed before it is used and a replica that lost the lease cannot act. Pools are independent:
/// their passes run side by side, so a slow SageMaker call in one pool never holds up another.
/// </summary>
internal sealed partial class QueueScheduler
{
    private readonly MeteredJobStore _store;
    private readonly MeteredSageMakerClient _backend;
    private readonly ISchedulingPolicy _policy;
    private readonly AttemptStopper _stopper;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly QueueMetrics _metrics;
    private readonly CheckpointCache _checkpoints;
    private readonly TeamUsageLedger _usage;
    private readonly ILogger<QueueScheduler> _logger;

    /// <summary>Creates the scheduler.</summary>
    public QueueScheduler(
        IJobStore store,
        ISageMakerTrainingClient backend,
        ISchedulingPolicy policy,
        AttemptStopper stopper,
        IOptionsMonitor<QueueOptions> options,
        TimeProvider time,
        QueueMetrics metrics,
        CheckpointCache checkpoints,
        TeamUsageLedger usage,
        ILogger<QueueScheduler> logger)
    {
        _checkpoints = checkpoints;
        _usage = usage;
        _store = new MeteredJobStore(store, metrics);
        _backend = new MeteredSageMakerClient(backend, metrics);
        _metrics = metrics;
        _policy = policy;
        _stopper = stopper;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs one pass over <paramref name="pools"/> (every configured pool when null; names that are not configured
    /// are ignored), at most <see cref="QueueOptions.MaxConcurrentPools"/> pools at a time. Throws
    /// <see cref="LeaseLostException"/> when the fence is stale.
    /// </summary>
    public async Task<SchedulingPassResult> RunPassAsync(SchedulerLease? fence, IReadOnlySet<string>? pools = null, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        var selected = options.Capacity.Keys.Where(pool => pools is null || pools.Contains(pool)).ToList();
        if (selected.Count == 1)
        {
            return await RunPoolAsync(selected[0], fence, cancellationToken).ConfigureAwait(false);
        }

        // Each pool's pass runs inline until it first waits (a commit, a SageMaker call); the others go on meanwhile.
        using var gate = selected.Count > options.MaxConcurrentPools ? new SemaphoreSlim(options.MaxConcurrentPools) : null;
        var passes = new Task<SchedulingPassResult>[selected.Count];
        for (var i = 0; i < selected.Count; i++)
        {
            passes[i] = gate is null ? RunPoolAsync(selected[i], fence, cancellationToken) : RunGatedAsync(gate, selected[i], fence, cancellationToken);
        }

        var results = await Task.WhenAll(passes).ConfigureAwait(false);
        return results.Aggregate(SchedulingPassResult.Idle, (sum, result) => sum.Add(result));
    }

    private async Task<SchedulingPassResult> RunGatedAsync(SemaphoreSlim gate, string instanceType, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunPoolAsync(instanceType, fence, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One pass over one pool: snapshot, plan, apply. Pools not configured are left alone.</summary>
    public async Task<SchedulingPassResult> RunPoolAsync(string instanceType, SchedulerLease? fence, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        if (!options.Capacity.TryGetValue(instanceType, out var capacity))
        {
            return SchedulingPassResult.Idle;
        }

        var began = _time.GetTimestamp();
        using var activity = QueueTracing.Pass(instanceType);
        try
        {
            return await PassPoolAsync(instanceType, capacity, options, fence, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics.PassCompleted(instanceType, _time.GetElapsedTime(began));
        }
    }

    private async Task<SchedulingPassResult> PassPoolAsync(string instanceType, int capacity, QueueOptions options, SchedulerLease? fence, CancellationToken cancellationToken)
    {

        var planner = new QueuePlanner(_policy, new PlannerSettings(options.LookAhead, options.ReconcileInterval, ExplainWaits: false));
        var holding = await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        // Read only the waiting jobs this pass can act on: those that fit the free instances and the first that does
        // not. A full pool thus reads one job. Only when jobs backing off use up that page does the pass read on.
        // With teams, one team's blocked job does not block the others, so the pass reads its whole look-ahead.
        var rules = options.PreemptionRulesFor(instanceType);
        var aging = options.AgingFor(instanceType);

        // What S3 last said about each holder's checkpoints arrives as data; a stale entry is refreshed in the background.
        holding = _checkpoints.Observe(holding, now);
        var teams = options.HasTeams ? TeamShares.For(options, instanceType, _usage.Observe(instanceType, holding, now, options.FairShareHalfLife)) : null;
        var limit = teams is null ? planner.FirstReadSize(capacity, holding, aging) : options.LookAhead;
        var waiting = await _store.GetWaitingAsync(instanceType, limit, cancellationToken).ConfigureAwait(false);
        var plan = planner.Plan(new PoolSnapshot(instanceType, capacity, holding, waiting, waiting.Count < limit, rules, aging, teams), now);
        if (plan.NeedsMoreWaiting)
        {
            waiting = await _store.GetWaitingAsync(instanceType, options.LookAhead, cancellationToken).ConfigureAwait(false);
            plan = planner.Plan(new PoolSnapshot(instanceType, capacity, holding, waiting, waiting.Count < options.LookAhead, rules, aging, teams), now);
        }

        _metrics.Planned(instanceType, capacity, holding.Sum(job => job.InstanceCount), waiting, options.Teams.Keys);

        var result = await ApplyAsync(plan, capacity, fence, cancellationToken).ConfigureAwait(false);
        if (teams is not null && plan.Starts.Count > 0)
        {
            // Charge the teams for what they start from now on, not from the next pass; a start that failed is
            // forgotten at that pass.
            _usage.Observe(instanceType, [.. holding, .. plan.Starts], _time.GetUtcNow(), options.FairShareHalfLife);
        }

        return result;
    }

    /// <summary>Carries out a plan: stale claims first (they hold instances already), then starts, then preemptions.</summary>
    private async Task<SchedulingPassResult> ApplyAsync(PoolPlan plan, int capacity, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        if (plan.IsIdle)
        {
            return SchedulingPassResult.Idle;
        }

        int started = 0, preempted = 0;
        var retry = false;
        foreach (var claim in plan.StaleClaims)
        {
            if (await ResumeClaimAsync(claim, fence, cancellationToken).ConfigureAwait(false) == StartOutcome.Started)
            {
                started++;
            }
        }

        foreach (var job in plan.Starts)
        {
            var outcome = await StartAsync(job, capacity, plan.Sources?.GetValueOrDefault(job.Name), fence, cancellationToken).ConfigureAwait(false);
            started += outcome == StartOutcome.Started ? 1 : 0;

            // Instances a start did not take may fit a job behind it: plan again at once.
            retry |= outcome != StartOutcome.Started;
        }

        foreach (var preemption in plan.Preemptions)
        {
            if (await PreemptAsync(preemption, fence, cancellationToken).ConfigureAwait(false))
            {
                preempted++;
            }
            else
            {
                retry = true;
            }
        }

        return new SchedulingPassResult(started, preempted, retry);
    }
}
