using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Commands;

/// <summary>Who asks for a change: an authenticated principal, and whether it operates the queue.</summary>
/// <param name="Principal">The principal's name; jobs it submits are owned by it.</param>
/// <param name="IsOperator">Operators may change any job; others only their own.</param>
public sealed record JobCaller(string Principal, bool IsOperator)
{
    /// <summary>
    /// Whether the caller may read <paramref name="job"/> at all: its owner and operators may; to everyone else another
    /// tenant's job does not exist (its request may hold secrets in hyperparameters or environment).
    /// </summary>
    public bool MaySee(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsOperator || string.Equals(job.Owner, Principal, StringComparison.Ordinal);
    }

    /// <summary>Throws <see cref="JobAccessDeniedException"/> unless the caller may change <paramref name="job"/>.</summary>
    public void EnsureMayChange(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!IsOperator && !string.Equals(job.Owner, Principal, StringComparison.Ordinal))
        {
            throw new JobAccessDeniedException(job.Name, Principal);
        }
    }
}
