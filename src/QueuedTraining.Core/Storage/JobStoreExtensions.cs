using QueuedTraining.Contracts;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Storage;

/// <summary>Read-decide-write loops over <see cref="IJobStore"/>'s single-item conditional writes.</summary>
internal static class JobStoreExtensions
{
    private const int MaxAttempts = 32;

    /// <summary>
    /// Reads the job, asks <paramref name="change"/> for its next value and writes it against the version read,
    /// again from a fresh read whenever a concurrent writer won. <paramref name="change"/> returns null to
    /// leave the job as it is. Returns the job before and after, or null when there is no such job.
    /// </summary>
    public static async Task<JobChange?> UpdateAsync(
        this IJobStore store,
        string name,
        Func<QueuedJob, QueuedJob?> change,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return current is null ? null : await store.UpdateAsync(current, change, fence, durability, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="UpdateAsync(IJobStore, string, Func{QueuedJob, QueuedJob?}, SchedulerLease?, WriteDurability, CancellationToken)"/>,
    /// starting from <paramref name="current"/>, a job the caller has just read or written: that saves a read,
    /// and if it is out of date the write loses and the loop reads the job afresh.
    /// </summary>
    public static async Task<JobChange?> UpdateAsync(
        this IJobStore store,
        QueuedJob current,
        Func<QueuedJob, QueuedJob?> change,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var next = change(current);
            if (next is null)
            {
                return new JobChange(current, current, Changed: false);
            }

            var result = await store.TryUpdateAsync(current, next, fence, durability, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case JobUpdateOutcome.Updated:
                    return new JobChange(current, result.Job!, Changed: true);
                case JobUpdateOutcome.NotFound:
                    return null;
                case JobUpdateOutcome.FenceRejected:
                    throw new LeaseLostException(fence!);
            }

            var fresh = await store.GetAsync(current.Name, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return null;
            }

            current = fresh;
        }

        throw new QueuedTrainingException($"Training job '{current.Name}' kept changing under {MaxAttempts} attempts to update it.");
    }
}

/// <summary>A job before and after an update.</summary>
/// <param name="Before">As read.</param>
/// <param name="After">As written (the same as <paramref name="Before"/> when nothing changed).</param>
/// <param name="Changed">Whether a write happened.</param>
public sealed record JobChange(QueuedJob Before, QueuedJob After, bool Changed);

/// <summary>The scheduler lease passed to another replica; this one must stop deciding.</summary>
internal sealed class LeaseLostException(SchedulerLease lease)
    : QueuedTrainingException($"The scheduler lease (token {lease.Token}) held by '{lease.Holder}' was taken over.")
{
    /// <summary>The lease that was lost.</summary>
    public SchedulerLease Lease { get; } = lease;
}
