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
    /// The first of <paramref name="ordered"/> that together free <paramref name="instancesNeeded"/> instances, or an
    /// empty list when all of them would not: a preemption that does not make room only wastes work.
    /// </summary>
    public static IReadOnlyList<QueuedJob> TakeEnough(IEnumerable<QueuedJob> ordered, int instancesNeeded)
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
}
