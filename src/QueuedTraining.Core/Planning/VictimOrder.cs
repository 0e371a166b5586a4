using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// The order in which eligible running jobs give way, in one place so that every <see cref="ISchedulingPolicy"/> that
/// picks victims within a tier (by priority, by quota) orders them alike: lowest priority first; within a priority, jobs
/// that checkpoint before jobs that do not (stopping those loses everything), then the least time since the last save;
/// then by name so that equal jobs always order the same way.
/// </summary>
/// <remarks>
/// Priority comes first on purpose: a victim of higher priority, once back in the queue, would soon preempt a job below
/// it in turn, and such cascades cost more work than any choice within a priority saves.
/// </remarks>
public static class VictimOrder
{
    /// <summary>
    /// How long <paramref name="job"/>'s unsaved work has run at <paramref name="now"/>: the time since its newest
    /// checkpoint (<see cref="QueuedJob.LastCheckpointAt"/>) or, when it has none in its current attempt, since that
    /// attempt started. A checkpoint older than the attempt saved an earlier attempt's work, which the attempt resumed
    /// from, so what it has done since its start is at stake.
    /// </summary>
    public static TimeSpan UnsavedTime(QueuedJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var since = job.CurrentAttempt?.StartedAt ?? job.UpdatedAt;
        if (job.CheckpointS3Uri is not null && job.LastCheckpointAt > since)
        {
            since = job.LastCheckpointAt.Value;
        }

        return now > since ? now - since : TimeSpan.Zero;
    }

    /// <summary>The work stopping <paramref name="job"/> at <paramref name="now"/> would cost: <see cref="UnsavedTime"/> times its instances, in instance-seconds.</summary>
    public static double WorkLostInstanceSeconds(QueuedJob job, DateTimeOffset now) =>
        UnsavedTime(job, now).TotalSeconds * job.InstanceCount;

    /// <summary>
    /// <paramref name="eligible"/> in the order they should give way: lowest priority, then checkpointed jobs, then the
    /// least <see cref="UnsavedTime"/>, then name. Time rather than instance-seconds: ordering by instance-seconds would
    /// stop several small jobs where one larger job frees the instances at once.
    /// </summary>
    public static IOrderedEnumerable<QueuedJob> LeastWorkLostFirst(IEnumerable<QueuedJob> eligible, DateTimeOffset now) =>
        eligible
            .OrderBy(job => job.Priority)
            .ThenBy(job => job.CheckpointS3Uri is null)
            .ThenBy(job => UnsavedTime(job, now))
            .ThenBy(job => job.Name, StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="eligible"/> by lowest priority, then the least <see cref="UnsavedTime"/> whether the job
    /// checkpoints or not, then name: the least work lost without the promise that jobs without checkpoints go last.
    /// </summary>
    public static IOrderedEnumerable<QueuedJob> LeastUnsavedTimeFirst(IEnumerable<QueuedJob> eligible, DateTimeOffset now) =>
        eligible
            .OrderBy(job => job.Priority)
            .ThenBy(job => UnsavedTime(job, now))
            .ThenBy(job => job.Name, StringComparer.Ordinal);

    /// <summary>
    /// The order before checkpoint-aware victims: lowest priority, then the most recently started, whatever it saved.
    /// Kept as the baseline the benchmarks measure the new order against.
    /// </summary>
    public static IOrderedEnumerable<QueuedJob> MostRecentlyStartedFirst(IEnumerable<QueuedJob> eligible) =>
        eligible
            .OrderBy(job => job.Priority)
            .ThenByDescending(job => job.CurrentAttempt?.StartedAt ?? job.UpdatedAt)
            .ThenBy(job => job.Name, StringComparer.Ordinal);

    /// <summary>
    /// The victims to stop so that <paramref name="instancesNeeded"/> instances are freed: <see cref="TakeInOrder"/>,
    /// then <see cref="Prune"/>, so that no victim is stopped whose instances the others already free. An empty list when
    /// all of <paramref name="ordered"/> would not free enough: a preemption that does not make room only wastes work.
    /// </summary>
    public static IReadOnlyList<QueuedJob> TakeEnough(IEnumerable<QueuedJob> ordered, int instancesNeeded) =>
        Prune(TakeInOrder(ordered, instancesNeeded), instancesNeeded);

    /// <summary>
    /// The first of <paramref name="ordered"/> that together free <paramref name="instancesNeeded"/> instances, or an
    /// empty list when all of them would not. Without <see cref="Prune"/> this may stop a victim the later ones make
    /// unnecessary (one instance, then four, when four are needed); it is the step before pruning, and how victims were
    /// taken before it.
    /// </summary>
    public static IReadOnlyList<QueuedJob> TakeInOrder(IEnumerable<QueuedJob> ordered, int instancesNeeded)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var victims = new List<QueuedJob>();
        var freed = 0;
        foreach (var job in ordered)
        {
            if (freed >= instancesNeeded)
            {
                break;
            }

            victims.Add(job);
            freed += job.InstanceCount;
        }

        return freed >= instancesNeeded ? victims : [];
    }

    /// <summary>
    /// <paramref name="victims"/> (in the order they give way) without those whose instances the rest already free: each,
    /// from the last back to the first, is dropped when the others still free <paramref name="instancesNeeded"/>. Victims
    /// from <see cref="TakeInOrder"/> always keep their last (those before it did not free enough), so walking back drops
    /// the least preferred of the earlier victims first. As each drop only lowers what the rest free, no victim kept could
    /// be dropped afterwards. A subset of <paramref name="victims"/>, so it never stops more jobs nor loses more work;
    /// <paramref name="victims"/> itself when they free less than needed.
    /// </summary>
    public static IReadOnlyList<QueuedJob> Prune(IReadOnlyList<QueuedJob> victims, int instancesNeeded)
    {
        ArgumentNullException.ThrowIfNull(victims);
        var freed = victims.Sum(job => job.InstanceCount);
        if (freed < instancesNeeded)
        {
            return victims;
        }

        var kept = new bool[victims.Count];
        for (var i = victims.Count - 1; i >= 0; i--)
        {
            if (freed - victims[i].InstanceCount >= instancesNeeded)
            {
                freed -= victims[i].InstanceCount;
            }
            else
            {
                kept[i] = true;
            }
        }

        return kept.All(k => k) ? victims : victims.Where((_, i) => kept[i]).ToList();
    }
}
