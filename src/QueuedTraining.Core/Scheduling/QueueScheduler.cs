using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// Decides which waiting jobs start and which running jobs give way, one pool at a time:
/// <list type="number">
/// <item>jobs start in queue order (priority descending, then enqueue time) while they fit the free instances;</item>
/// <item>the first job that does not fit blocks its pool (no smaller job overtakes it, so big jobs never starve),
/// but never another pool;</item>
/// <item>that job counts instances already being released, then asks the <see cref="ISchedulingPolicy"/> which
/// strictly lower-priority running jobs to preempt for the rest.</item>
/// </list>
/// Every decision is a fenced conditional write made before SageMaker is called, so capacity is claimed
/// before it is used and a replica that lost the lease cannot act.
/// </summary>
public sealed partial class QueueScheduler
{
    private readonly IJobStore _store;
    private readonly ISageMakerTrainingClient _backend;
    private readonly ISchedulingPolicy _policy;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueScheduler> _logger;

    /// <summary>Creates the scheduler.</summary>
    public QueueScheduler(
        IJobStore store,
        ISageMakerTrainingClient backend,
        ISchedulingPolicy policy,
        IOptionsMonitor<QueueOptions> options,
        TimeProvider time,
        ILogger<QueueScheduler> logger)
    {
        _store = store;
        _backend = backend;
        _policy = policy;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs one pass over <paramref name="pools"/> (every configured pool when null; names that are not
    /// configured are ignored). Throws <see cref="LeaseLostException"/> when the fence is stale.
    /// </summary>
    public async Task<SchedulingPassResult> RunPassAsync(SchedulerLease? fence, IReadOnlySet<string>? pools = null, CancellationToken cancellationToken = default)
    {
        var result = SchedulingPassResult.Idle;
        foreach (var (instanceType, capacity) in _options.CurrentValue.Capacity)
        {
            if (pools is null || pools.Contains(instanceType))
            {
                result = result.Add(await RunPoolAsync(instanceType, capacity, fence, cancellationToken).ConfigureAwait(false));
            }
        }

        return result;
    }

    private async Task<SchedulingPassResult> RunPoolAsync(string instanceType, int capacity, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var holding = await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false);
        var pool = new PoolState(instanceType, capacity, holding);
        var now = _time.GetUtcNow();
        var lookAhead = _options.CurrentValue.LookAhead;
        var result = await ResumeStaleClaimsAsync(holding, now, fence, cancellationToken).ConfigureAwait(false);

        // Read only the waiting jobs this pass can act on: those that fit the free instances and the first
        // that does not (it blocks the pool or preempts). A full pool thus reads one job, not LookAhead of
        // them. Only when a whole page is consumed without reaching a blocking job (jobs in backoff are
        // skipped) does the pass read on, up to LookAhead jobs.
        var limit = Math.Min(lookAhead, Math.Max(pool.Free, 0) + 1);
        var considered = new HashSet<string>(StringComparer.Ordinal);
        var blocked = false;
        while (true)
        {
            var waiting = await _store.GetWaitingAsync(instanceType, limit, cancellationToken).ConfigureAwait(false);
            foreach (var job in waiting)
            {
                if (considered.Count >= lookAhead)
                {
                    blocked = true;
                    break;
                }

                if (!considered.Add(job.Name) || job.IsBackingOffAt(now))
                {
                    continue;
                }

                if (job.InstanceCount <= pool.Free)
                {
                    var outcome = await StartAsync(job, pool.Free, capacity, fence, cancellationToken).ConfigureAwait(false);
                    result = result.Add(new SchedulingPassResult(outcome == StartOutcome.Started ? 1 : 0, 0, outcome == StartOutcome.Interfered));
                    if (outcome == StartOutcome.Started)
                    {
                        pool.Free -= job.InstanceCount;
                    }

                    continue;
                }

                blocked = true;
                result = result.Add(await MakeRoomAsync(job, pool, now, fence, cancellationToken).ConfigureAwait(false));
                break;
            }

            if (blocked || waiting.Count < limit || limit >= lookAhead)
            {
                return result;
            }

            limit = lookAhead;
        }
    }

    /// <summary>
    /// The best waiting job does not fit: it counts instances already being released, then preempts strictly
    /// lower-priority running jobs for the rest. It blocks its pool either way. Nothing is written for the job
    /// itself: why it waits is worked out when it is read (<see cref="WaitingReason"/>).
    /// </summary>
    private async Task<SchedulingPassResult> MakeRoomAsync(QueuedJob job, PoolState pool, DateTimeOffset now, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var needed = job.InstanceCount - Math.Max(pool.Free, 0) - pool.Releasing;
        if (needed <= 0)
        {
            return SchedulingPassResult.Idle;
        }

        var running = pool.Holding.Where(h => h.State == JobState.Running).ToList();
        var victims = _policy.ChooseVictims(job, needed, running, now);
        if (victims.Count == 0)
        {
            return SchedulingPassResult.Idle;
        }

        int preempted = 0;
        var retry = false;
        foreach (var victim in victims)
        {
            if (await PreemptAsync(victim, job, fence, cancellationToken).ConfigureAwait(false))
            {
                preempted++;
            }
            else
            {
                retry = true;
            }
        }

        return new SchedulingPassResult(0, preempted, retry);
    }

    /// <summary>Claims older than a reconcile interval whose Create may never have reached SageMaker: see <see cref="ResumeClaimAsync"/>.</summary>
    private async Task<SchedulingPassResult> ResumeStaleClaimsAsync(IReadOnlyList<QueuedJob> holding, DateTimeOffset now, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var stale in holding.Where(h => h.State == JobState.Starting && now - h.UpdatedAt >= _options.CurrentValue.ReconcileInterval))
        {
            if (await ResumeClaimAsync(stale, fence, cancellationToken).ConfigureAwait(false) == StartOutcome.Started)
            {
                started++;
            }
        }

        return new SchedulingPassResult(started, 0, false);
    }

    /// <summary>A pool's instances as one pass sees them.</summary>
    private sealed class PoolState(string instanceType, int capacity, IReadOnlyList<QueuedJob> holding)
    {
        public string InstanceType { get; } = instanceType;

        public int Capacity { get; } = capacity;

        public IReadOnlyList<QueuedJob> Holding { get; } = holding;

        public int Releasing { get; } = holding.Where(job => job.State is JobState.Preempting or JobState.Stopping).Sum(job => job.InstanceCount);

        public int Free { get; set; } = capacity - holding.Sum(job => job.InstanceCount);
    }
}
