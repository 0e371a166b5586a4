using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// How a pool lifts jobs that wait long: a waiting job's effective priority is its priority plus
/// <paramref name="PriorityPerHour"/> for every hour since it was enqueued, in whole steps, at most
/// <paramref name="MaxBoost"/> more. It orders the waiting jobs a plan looks at (the pool's look-ahead window); it never
/// lets a job preempt one of equal or higher priority, so aging cannot start a preemption loop.
/// </summary>
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

        var hours = Math.Max(0, (now - job.EnqueuedAt).TotalHours);
        var boost = Math.Min(MaxBoost, Math.Floor(hours * PriorityPerHour));
        return (int)Math.Min(int.MaxValue, job.Priority + (long)boost);
    }
}
