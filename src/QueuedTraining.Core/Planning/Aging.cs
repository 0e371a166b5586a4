using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// How a pool lifts jobs that wait long: a waiting job's effective priority is its priority plus
/// <paramref name="PriorityPerHour"/> for every hour since it joined the line, in whole steps, at most
/// <paramref name="MaxBoost"/> more. It orders the waiting jobs a plan looks at (the pool's look-ahead window); it never
/// lets a job preempt one of equal or higher priority.
/// </summary>
/// <remarks>
/// A preempted job's clock starts again when its attempt gives way. Counted from its first enqueue, a job preempted for
/// one of slightly higher priority would come back aged above it, start first on the instances it just released, and be
/// preempted again by the same job, pass after pass (the no-loop property test found this).
/// </remarks>
/// <param name="PriorityPerHour">Priority gained per hour of waiting; 0 turns aging off.</param>
/// <param name="MaxBoost">The most priority aging adds; 0 turns aging off.</param>
internal sealed record Aging(double PriorityPerHour, int MaxBoost)
{
    /// <summary>No aging: the effective priority is the priority.</summary>
    public static Aging Off { get; } = new(0, 0);

    /// <summary>True when waiting lifts a job's priority at all.</summary>
    public bool IsOn => PriorityPerHour > 0 && MaxBoost > 0;

    /// <summary>The priority <paramref name="job"/> waits with at <paramref name="now"/>.</summary>
    public int EffectivePriority(QueuedJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!IsOn || !job.State.IsWaiting())
        {
            return job.Priority;
        }

        var hours = Math.Max(0, (now - WaitingSince(job)).TotalHours);
        var boost = Math.Min(MaxBoost, Math.Floor(hours * PriorityPerHour));
        return (int)Math.Min(int.MaxValue, job.Priority + (long)boost);
    }

    /// <summary>
    /// When <paramref name="job"/> joined the line it waits in: its enqueue, or for a preempted job the moment it became
    /// preempted (the first of its latest run of preempted history entries, so that a priority change while it waits does
    /// not restart the clock).
    /// </summary>
    private static DateTimeOffset WaitingSince(QueuedJob job)
    {
        if (job.State != JobState.Preempted)
        {
            return job.EnqueuedAt;
        }

        var since = job.EnqueuedAt;
        for (var i = job.History.Count - 1; i >= 0 && job.History[i].State == JobState.Preempted; i--)
        {
            since = job.History[i].At;
        }

        return since > job.EnqueuedAt ? since : job.EnqueuedAt;
    }
}
