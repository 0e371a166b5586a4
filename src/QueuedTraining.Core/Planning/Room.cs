using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>What a blocked head may preempt now, or when it first could if minimum runtimes hold it back.</summary>
/// <param name="Victims">The running jobs to preempt now.</param>
/// <param name="PreemptibleAt">
/// When no victims may be preempted now but some will be once protected jobs reach their minimum runtime: the earliest
/// such time; otherwise null.
/// </param>
internal sealed record Room(IReadOnlyList<QueuedJob> Victims, DateTimeOffset? PreemptibleAt)
{
    /// <summary>Nothing to preempt, now or later.</summary>
    public static Room None { get; } = new([], null);
}
