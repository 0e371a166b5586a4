using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Commands;

/// <summary>Who asks for a change: an authenticated principal, and whether it operates the queue.</summary>
/// <param name="Principal">The principal's name; jobs it submits are owned by it.</param>
/// <param name="IsOperator">Operators may change any job; others only their own.</param>
public sealed record JobCaller(string Principal, bool IsOperator)
{
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
