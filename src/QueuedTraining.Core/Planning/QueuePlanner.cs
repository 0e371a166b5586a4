using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Decides what the scheduler does in one pool, as a pure function of a <see cref="PoolSnapshot"/>: no store, no
/// backend, no clock of its own. The rules:
/// <list type="number">
/// <item>waiting jobs start in queue order (priority descending, then enqueue time) while they fit the free instances;
/// jobs backing off after a refused start are passed over;</item>
/// <item>the first job that does not fit blocks its pool: no job behind it starts, so large jobs never starve;</item>
/// <item>that job counts instances already being released, then asks the <see cref="ISchedulingPolicy"/> which running
/// jobs to preempt for the rest;</item>
/// <item>with aging on (<see cref="Aging"/>), the waiting jobs it looks at start in order of effective priority;</item>
/// <item>claims left "starting" for longer than <see cref="PlannerSettings.StaleClaimAge"/> are sent again.</item>
/// </list>
/// Planning the state a plan leads to proposes nothing more until time passes or something changes. When the snapshot
/// carries teams, <see cref="TeamPlanner"/> plans instead: quotas, lending, reclaim and fair share.
/// </summary>
internal sealed class QueuePlanner(ISchedulingPolicy policy, PlannerSettings settings)
{
    /// <summary>The policy that chooses victims.</summary>
    public ISchedulingPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>The settings plans follow.</summary>
    public PlannerSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>The plan for <paramref name="pool"/> at <paramref name="now"/>.</summary>
    public PoolPlan Plan(PoolSnapshot pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var tally = Count(pool, now);
        var considered = Math.Min(pool.Waiting.Count, Settings.LookAhead);
        var line = InLine(pool.Waiting, considered, pool.AgingInForce, now);
        if (pool.Teams is { } teams)
        {
            // Teams plan over the same window, in the same order: aging lifts a job within its team's line too.
            return TeamPlanner.Plan(Policy, ReferenceEquals(line, pool.Waiting) ? pool : pool with { Waiting = line }, teams, tally, Settings, now);
        }

        var (inUse, releasing, staleClaims) = tally;
        var free = pool.Capacity - inUse;
        List<QueuedJob>? starts = null;
        List<WaitDecision>? waits = null;
        List<Preemption>? preemptions = null;
        QueuedJob? head = null;
        var explain = Settings.ExplainWaits;
        for (var index = 0; index < considered; index++)
        {
            var job = line[index];
            if (head is not null)
            {
                if (!explain)
                {
                    break;
                }

                (waits ??= []).Add(new WaitDecision(job, new WaitReason(WaitReasonCode.BehindInQueue, pool.InstanceType, index)));
            }
            else if (job.IsBackingOffAt(now))
            {
                if (explain)
                {
                    (waits ??= []).Add(new WaitDecision(job, new WaitReason(WaitReasonCode.BackingOff, pool.InstanceType, index, NotBefore: job.NotBefore)));
                }
            }
            else if (job.InstanceCount <= free)
            {
                (starts ??= []).Add(job);
                free -= job.InstanceCount;
            }
            else
            {
                head = job;
                var room = MakeRoom(Policy, job, pool.Holding, pool.RulesInForce, Math.Max(free, 0), releasing, now);
                preemptions = room.Victims.Select(victim => new Preemption(victim, job)).ToList();
                if (explain)
                {
                    var reason = WaitingReason.ForHead(job, pool.Holding, pool.Capacity, room);
                    (waits ??= []).Add(new WaitDecision(job, reason with { Ahead = index }));
                }
            }
        }

        var needsMore = head is null && !pool.WaitingIsComplete && pool.Waiting.Count < Settings.LookAhead;
        return new PoolPlan(pool.InstanceType, starts ?? [], preemptions ?? [], staleClaims ?? [], waits ?? [], needsMore);
    }

    /// <summary>
    /// No room can be made: says whether jobs whose budget is spent are what stands in the way, so the head's reason names
    /// the rule that holds it back. Asked only for a blocked head when such jobs hold instances.
    /// </summary>
    private static Room BlockedByBudget(ISchedulingPolicy policy, QueuedJob head, int needed, IReadOnlyList<QueuedJob> open, List<QueuedJob> spent, DateTimeOffset at) =>
        policy.ChooseVictims(head, needed, [.. open, .. spent], at).Count > 0 ? Room.None with { BudgetSpent = true } : Room.None;

    /// <summary>
    /// The first <paramref name="considered"/> waiting jobs in the order they start: queue order, or with aging on, by
    /// effective priority and then queue order. Aging reorders only this window (the store's index keeps base priority),
    /// so a job further back than the look-ahead is lifted only once it reaches the window.
    /// </summary>
    private static IReadOnlyList<QueuedJob> InLine(IReadOnlyList<QueuedJob> waiting, int considered, Aging aging, DateTimeOffset now) =>
        !aging.IsOn ? waiting
            : waiting.Take(considered)
                .Select((job, index) => (Job: job, Index: index, Effective: aging.EffectivePriority(job, now)))
                .OrderByDescending(entry => entry.Effective)
                .ThenBy(entry => entry.Index)
                .Select(entry => entry.Job)
                .ToList();

    /// <summary>The instances the pool's holders use and release, and the claims to send again.</summary>
    private TeamPlanner.Tally Count(PoolSnapshot pool, DateTimeOffset now)
    {
        List<QueuedJob>? staleClaims = null;
        var inUse = 0;
        var releasing = 0;
        foreach (var holder in pool.Holding)
        {
            inUse += holder.InstanceCount;
            if (holder.State is JobState.Preempting or JobState.Stopping)
            {
                releasing += holder.InstanceCount;
            }
            else if (holder.State == JobState.Starting && now - holder.UpdatedAt >= Settings.StaleClaimAge)
            {
                (staleClaims ??= []).Add(holder);
            }
        }

        return new TeamPlanner.Tally(inUse, releasing, staleClaims);
    }

    /// <summary>How many waiting jobs to read first: those that can fit the free instances and the one that does not.</summary>
    public int FirstReadSize(int capacity, IReadOnlyList<QueuedJob> holding, Aging? aging = null)
    {
        ArgumentNullException.ThrowIfNull(holding);
        if (aging is { IsOn: true })
        {
            // Any job of the window may have aged past the ones before it: read all of it.
            return Settings.LookAhead;
        }

        var free = capacity;
        foreach (var holder in holding)
        {
            free -= holder.InstanceCount;
        }

        return Math.Min(Settings.LookAhead, Math.Max(free, 0) + 1);
    }

    /// <summary>
    /// The running jobs to preempt so that <paramref name="head"/> fits, chosen by <paramref name="policy"/> among those
    /// <paramref name="rules"/> leave open. When the policy finds no room among them but would once some protected jobs
    /// reach their minimum runtime, the room says the earliest time it would. When the victims are about to save a
    /// checkpoint (<see cref="CheckpointAlignment"/>), none is preempted yet and the room says when it is expected.
    /// </summary>
    internal static Room MakeRoom(
        ISchedulingPolicy policy,
        QueuedJob head,
        IReadOnlyList<QueuedJob> holding,
        PreemptionRules rules,
        int free,
        int releasing,
        DateTimeOffset now)
    {
        var needed = head.InstanceCount - free - releasing;
        if (needed <= 0)
        {
            return Room.None;
        }

        var open = new List<QueuedJob>();
        List<(QueuedJob Job, DateTimeOffset From)>? young = null;
        List<QueuedJob>? spent = null;
        foreach (var holder in holding)
        {
            if (holder.State != JobState.Running || rules.ProtectsUncheckpointed(holder))
            {
                continue;
            }

            if (rules.BudgetSpent(holder))
            {
                (spent ??= []).Add(holder);
                continue;
            }

            if (rules.PreemptibleFrom(holder) is { } from && from > now)
            {
                (young ??= []).Add((holder, from));
            }
            else
            {
                open.Add(holder);
            }
        }

        var victims = policy.ChooseVictims(head, needed, open, now);
        if (victims.Count > 0 && CheckpointAlignment.WaitUntil(victims, rules, now) is { } checkpointAt)
        {
            return new Room([], null, CheckpointAt: checkpointAt);
        }

        if (victims.Count > 0 || young is null)
        {
            return victims.Count == 0 && spent is not null ? BlockedByBudget(policy, head, needed, open, spent, now) : new Room(victims, null);
        }

        // Ask again as each protected job comes of age, earliest first: the first answer with victims is when room
        // can be made. Only a blocked head asks, and once with every protected job first, so that a head no minimum
        // runtime holds back (the usual full pool) costs one more call, not one per protected job.
        young.Sort((a, b) => a.From.CompareTo(b.From));
        if (policy.ChooseVictims(head, needed, [.. open, .. young.Select(y => y.Job)], young[^1].From).Count == 0)
        {
            return spent is null ? Room.None : BlockedByBudget(policy, head, needed, [.. open, .. young.Select(y => y.Job)], spent, young[^1].From);
        }

        for (var i = 0; i < young.Count; i++)
        {
            open.Add(young[i].Job);
            if (i + 1 < young.Count && young[i + 1].From == young[i].From)
            {
                continue;
            }

            if (policy.ChooseVictims(head, needed, open, young[i].From).Count > 0)
            {
                return new Room([], young[i].From);
            }
        }

        return Room.None;
    }
}
