using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Plans a pool that teams share, as a pure function of the snapshot like <see cref="QueuePlanner"/>. Over the waiting
/// jobs the snapshot holds (the first <see cref="PlannerSettings.LookAhead"/> in queue order):
/// <list type="number">
/// <item>each team's jobs keep their queue order among themselves, and a team's first job that cannot start holds back
/// the team's later ones, so its large jobs never starve;</item>
/// <item>jobs that fit their team's quota start in queue order, on free instances other than reserved idle quota; when
/// there are not enough, the team takes back instances other teams hold above their quotas, whatever their priority,
/// their least valuable work first, and otherwise preempts its own lower-priority jobs as the policy decides;</item>
/// <item>capacity above quotas, the shared remainder and lent quota, goes by fair share: the team with the least decayed
/// usage per unit of weight first. Teams that only lend or reserve use the shared remainder; no team goes beyond its
/// borrow limit. The first team whose job waits for such capacity is served before any other team's job above quota.</item>
/// </list>
/// </summary>
internal static class TeamPlanner
{
    public static PoolPlan Plan(ISchedulingPolicy policy, PoolSnapshot pool, PoolTeams teams, Tally tally, PlannerSettings settings, DateTimeOffset now)
    {
        var lookAhead = settings.LookAhead;
        var considered = Math.Min(pool.Waiting.Count, lookAhead);
        var plan = new Planning(policy, pool, teams, tally, settings.ExplainWaits, now);
        var deferred = new Dictionary<string, Queue<(QueuedJob Job, int Index)>>(StringComparer.Ordinal);
        for (var index = 0; index < considered; index++)
        {
            var job = pool.Waiting[index];
            if (plan.Blocked.Contains(job.Team))
            {
                plan.Wait(job, index, WaitReasonCode.BehindInQueue);
            }
            else if (job.IsBackingOffAt(now))
            {
                plan.Wait(job, index, WaitReasonCode.BackingOff, notBefore: job.NotBefore);
            }
            else if (deferred.TryGetValue(job.Team, out var queue))
            {
                queue.Enqueue((job, index));
            }
            else if (plan.HeldBy(job.Team) + job.InstanceCount <= teams.ShareOf(job.Team).Quota)
            {
                plan.StartOrReclaim(job, index);
            }
            else
            {
                deferred[job.Team] = new Queue<(QueuedJob, int)>([(job, index)]);
            }
        }

        var servedFirst = plan.ShareAboveQuotas(deferred);
        foreach (var queue in deferred.Values)
        {
            var first = true;
            foreach (var (job, index) in queue)
            {
                plan.Wait(job, index, first && servedFirst is not null ? WaitReasonCode.FairShare : WaitReasonCode.BehindInQueue, otherTeam: servedFirst);
                first = false;
            }
        }

        var needsMore = plan.Blocked.Count == 0 && !pool.WaitingIsComplete && pool.Waiting.Count < lookAhead;
        return plan.ToPlan(needsMore);
    }

    /// <summary>The pool's counts before planning: instances held and being released, and claims to send again.</summary>
    internal sealed record Tally(int InUse, int Releasing, List<QueuedJob>? StaleClaims);

    private sealed class Planning
    {
        private readonly ISchedulingPolicy _policy;
        private readonly PoolSnapshot _pool;
        private readonly PoolTeams _teams;
        private readonly DateTimeOffset _now;
        private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _leaving = new(StringComparer.Ordinal);
        private readonly Dictionary<string, double> _charged = new(StringComparer.Ordinal);
        private readonly List<QueuedJob> _starts = [];
        private readonly Dictionary<string, CapacitySource> _sources = new(StringComparer.Ordinal);
        private readonly List<(int Index, WaitDecision Decision)> _waits = [];
        private readonly List<Preemption> _preemptions = [];
        private readonly HashSet<QueuedJob> _victims = new(ReferenceEqualityComparer.Instance);
        private readonly List<QueuedJob>? _staleClaims;
        private readonly int _sharedRemainder;
        private readonly bool _explain;
        private int _free;
        private int _releasing;

        public Planning(ISchedulingPolicy policy, PoolSnapshot pool, PoolTeams teams, Tally tally, bool explain, DateTimeOffset now)
        {
            _policy = policy;
            _explain = explain;
            _pool = pool;
            _teams = teams;
            _now = now;
            _free = pool.Capacity - tally.InUse;
            _releasing = tally.Releasing;
            _staleClaims = tally.StaleClaims;
            _sharedRemainder = teams.SharedRemainder(pool.Capacity);
            foreach (var holder in pool.Holding)
            {
                _held[holder.Team] = HeldBy(holder.Team) + holder.InstanceCount;
                if (holder.State is JobState.Preempting or JobState.Stopping)
                {
                    _leaving[holder.Team] = _leaving.GetValueOrDefault(holder.Team) + holder.InstanceCount;
                }
            }
        }

        /// <summary>Teams whose first job waits: their later jobs wait behind it.</summary>
        public HashSet<string> Blocked { get; } = new(StringComparer.Ordinal);

        public int HeldBy(string team) => _held.GetValueOrDefault(team);

        /// <summary>A job that fits its team's quota: start it, or make room by reclaim or by priority within the team.</summary>
        public void StartOrReclaim(QueuedJob job, int index)
        {
            var available = _free - Protected(job.Team, aboveQuota: false);
            if (job.InstanceCount <= available)
            {
                Start(job, CapacitySource.OwnQuota);
                return;
            }

            Blocked.Add(job.Team);
            var free = Math.Max(available, 0);
            var reclaim = Room(new ReclaimPolicy(job.Team, OverQuota()), job, free);
            if (reclaim.Victims.Count > 0)
            {
                Preempt(reclaim, job, job.Team, free);
                Wait(job, index, WaitReasonCode.ReclaimingQuota);
                return;
            }

            if (reclaim.CheckpointAt is not null)
            {
                // Its quota comes back once the borrowers save: preempting its own team's jobs meanwhile would lose their work for room that is coming anyway.
                WaitForCapacity(job, index, reclaim, preemptibleAt: null, reserved: null);
                return;
            }

            var within = Room(new WithinTeamPolicy(_policy, job.Team), job, free);
            if (within.Victims.Count > 0)
            {
                Preempt(within, job, reclaimedFor: null, free);
                Wait(job, index, WaitReasonCode.PreemptingForIt);
                return;
            }

            WaitForCapacity(job, index, within, reclaim.PreemptibleAt ?? within.PreemptibleAt, job.InstanceCount <= _free ? WaitReasonCode.ReservedForTeam : null);
        }

        /// <summary>
        /// Hands out capacity above quotas to the deferred jobs by fair share, and returns the team whose job waits for
        /// such capacity (every other team's deferred jobs then wait behind it), or null.
        /// </summary>
        public string? ShareAboveQuotas(Dictionary<string, Queue<(QueuedJob Job, int Index)>> deferred)
        {
            string? served = null;
            while (deferred.Count > 0)
            {
                var (team, queue) = NextByFairShare(deferred);
                var (job, index) = queue.Peek();
                var share = _teams.ShareOf(team);
                var above = HeldBy(team) + job.InstanceCount - share.Quota;
                if (share.BorrowLimit is { } limit && above > limit)
                {
                    Blocked.Add(team);
                    queue.Dequeue();
                    Wait(job, index, WaitReasonCode.BorrowLimitReached, limit: limit);
                    FlushBehind(deferred, team);
                    continue;
                }

                var available = _free - Protected(team, aboveQuota: true);
                if (job.InstanceCount <= available)
                {
                    queue.Dequeue();
                    var sharedLeft = _sharedRemainder - AboveQuotas();
                    Start(job, Math.Min(above, job.InstanceCount) <= sharedLeft ? CapacitySource.SharedRemainder : CapacitySource.Borrowed);
                    _charged[team] = _charged.GetValueOrDefault(team) + job.InstanceCount;
                    served = team;
                    if (queue.Count == 0)
                    {
                        deferred.Remove(team);
                    }

                    continue;
                }

                Blocked.Add(team);
                queue.Dequeue();
                if (job.InstanceCount <= _free)
                {
                    // Free instances it may not use: reserved quota, or lent quota a team that does not borrow may not take.
                    Wait(job, index, share.Borrows ? WaitReasonCode.ReservedForTeam : WaitReasonCode.QuotaExhausted, otherTeam: share.Borrows ? ReservingTeams() : null);
                    FlushBehind(deferred, team);
                    continue;
                }

                if (!share.Borrows)
                {
                    Wait(job, index, WaitReasonCode.QuotaExhausted);
                    FlushBehind(deferred, team);
                    continue;
                }

                var free = Math.Max(available, 0);
                var within = Room(new WithinTeamPolicy(_policy, team), job, free);
                if (within.Victims.Count > 0)
                {
                    Preempt(within, job, reclaimedFor: null, free);
                    Wait(job, index, WaitReasonCode.PreemptingForIt);
                }
                else if (served is not null && served != team && within.PreemptibleAt is null && within.CheckpointAt is null)
                {
                    // Capacity it could have had went to a team ahead of it by fair share in this very plan.
                    Wait(job, index, WaitReasonCode.FairShare, otherTeam: served);
                }
                else
                {
                    WaitForCapacity(job, index, within, within.PreemptibleAt, reserved: null);
                }

                FlushBehind(deferred, team);
                return team;
            }

            return null;
        }

        public void Wait(QueuedJob job, int index, WaitReasonCode code, DateTimeOffset? notBefore = null, int limit = 0, string? otherTeam = null)
        {
            if (!_explain)
            {
                return;
            }

            var share = _teams.ShareOf(job.Team);
            var reason = new WaitReason(
                code,
                _pool.InstanceType,
                index,
                _pool.Capacity,
                _pool.Capacity - _free,
                _releasing,
                NotBefore: notBefore,
                Team: job.Team,
                Quota: share.Quota,
                Limit: limit,
                OtherTeam: otherTeam);
            _waits.Add((index, new WaitDecision(job, reason)));
        }

        public PoolPlan ToPlan(bool needsMore)
        {
            _waits.Sort((a, b) => a.Index.CompareTo(b.Index));
            return new PoolPlan(_pool.InstanceType, _starts, _preemptions, _staleClaims ?? [], _waits.ConvertAll(w => w.Decision), needsMore, _sources);
        }

        private void FlushBehind(Dictionary<string, Queue<(QueuedJob Job, int Index)>> deferred, string team)
        {
            foreach (var (job, index) in deferred[team])
            {
                Wait(job, index, WaitReasonCode.BehindInQueue);
            }

            deferred.Remove(team);
        }

        private void WaitForCapacity(QueuedJob job, int index, Room room, DateTimeOffset? preemptibleAt, WaitReasonCode? reserved)
        {
            var code = reserved
                ?? (room.CheckpointAt is not null ? WaitReasonCode.WaitingForCheckpoint
                : preemptibleAt is not null ? WaitReasonCode.WaitingForMinimumRuntime
                : _releasing > 0 ? WaitReasonCode.WaitingForRelease
                : WaitReasonCode.CapacityInUse);
            var notBefore = code switch
            {
                WaitReasonCode.WaitingForCheckpoint => room.CheckpointAt,
                WaitReasonCode.WaitingForMinimumRuntime => preemptibleAt,
                _ => null,
            };
            Wait(job, index, code, notBefore, otherTeam: code == WaitReasonCode.ReservedForTeam ? ReservingTeams() : null);
        }

        private void Start(QueuedJob job, CapacitySource source)
        {
            _starts.Add(job);
            _sources[job.Name] = source;
            _free -= job.InstanceCount;
            _held[job.Team] = HeldBy(job.Team) + job.InstanceCount;
        }

        private Room Room(ISchedulingPolicy policy, QueuedJob job, int free)
        {
            var holding = _victims.Count == 0 ? _pool.Holding : _pool.Holding.Where(h => !_victims.Contains(h)).ToList();
            return QueuePlanner.MakeRoom(policy, job, holding, _pool.RulesInForce, free, _releasing, _now);
        }

        private void Preempt(Room room, QueuedJob job, string? reclaimedFor, int free)
        {
            foreach (var victim in room.Victims)
            {
                _victims.Add(victim);
                _leaving[victim.Team] = _leaving.GetValueOrDefault(victim.Team) + victim.InstanceCount;
                _preemptions.Add(new Preemption(victim, job, reclaimedFor is null ? PreemptionRule.HigherPriority : PreemptionRule.ReclaimQuota) { ReclaimedFor = reclaimedFor });
            }

            // Instances already being released that this job counts on are not counted again for another.
            _releasing -= Math.Min(_releasing, Math.Max(job.InstanceCount - free, 0));
        }

        /// <summary>Free instances <paramref name="team"/> may not take: idle quota of teams that reserve it, and, above its quota when it does not borrow, every other team's idle quota.</summary>
        private int Protected(string team, bool aboveQuota)
        {
            var borrows = _teams.ShareOf(team).Borrows;
            var protectedInstances = 0;
            foreach (var share in _teams.WithQuota)
            {
                if (share.Team != team && (share.Mode == LendingMode.Reserve || (aboveQuota && !borrows)))
                {
                    protectedInstances += Math.Max(0, share.Quota - HeldBy(share.Team));
                }
            }

            return protectedInstances;
        }

        private string ReservingTeams() => string.Join(", ", _teams.WithQuota
            .Where(s => s.Mode == LendingMode.Reserve && s.Quota > HeldBy(s.Team))
            .Select(s => s.Team));

        /// <summary>
        /// Instances each team holds above its quota, not counting those already being released: a reclaim must not
        /// stop a team below its quota because one of its jobs is on its way out.
        /// </summary>
        private Dictionary<string, int> OverQuota()
        {
            var over = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (team, held) in _held)
            {
                var excess = held - _leaving.GetValueOrDefault(team) - _teams.ShareOf(team).Quota;
                if (excess > 0)
                {
                    over[team] = excess;
                }
            }

            return over;
        }

        private int AboveQuotas()
        {
            var above = 0;
            foreach (var (team, held) in _held)
            {
                above += Math.Max(0, held - _teams.ShareOf(team).Quota);
            }

            return above;
        }

        /// <summary>
        /// The deferred team served next: the lowest fair-share score, ties going to the job earlier in the window. A loop
        /// rather than LINQ because it runs once per deferred job of every pass.
        /// </summary>
        private (string Team, Queue<(QueuedJob Job, int Index)> Queue) NextByFairShare(Dictionary<string, Queue<(QueuedJob Job, int Index)>> deferred)
        {
            string? bestTeam = null;
            Queue<(QueuedJob Job, int Index)>? bestQueue = null;
            double bestScore = 0;
            var bestIndex = 0;
            foreach (var (team, queue) in deferred)
            {
                var score = Score(team);
                var index = queue.Peek().Index;

                // The same order as comparing (score, index) tuples: double.CompareTo, then the window index.
                var order = bestQueue is null ? -1 : score.CompareTo(bestScore);
                if (order < 0 || (order == 0 && index < bestIndex))
                {
                    (bestTeam, bestQueue, bestScore, bestIndex) = (team, queue, score, index);
                }
            }

            return (bestTeam!, bestQueue!);
        }

        private double Score(string team)
        {
            var share = _teams.ShareOf(team);
            return (share.Usage + _charged.GetValueOrDefault(team)) / share.Weight;
        }
    }
}
