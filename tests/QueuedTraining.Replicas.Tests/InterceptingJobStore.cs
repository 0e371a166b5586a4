using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Replicas.Tests;

/// <summary>
/// A replica's view of the shared store that can stop the replica just before a fenced write goes out,
/// the way a long GC pause, a frozen VM or a network partition would: the decision is made, the write is not.
/// </summary>
internal sealed class InterceptingJobStore(IJobStore inner) : IJobStore
{
    /// <summary>Awaited before every fenced <see cref="TryUpdateAsync"/> reaches the store; null lets writes through.</summary>
    public Func<SchedulerLease, QueuedJob, QueuedJob, Task>? BeforeFencedWrite { get; set; }

    public IJobStore Inner => inner;

    public async Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        if (fence is not null && BeforeFencedWrite is { } hook)
        {
            await hook(fence, current, updated);
        }

        return await inner.TryUpdateAsync(current, updated, fence, durability, cancellationToken);
    }

    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default) => inner.AddAsync(job, cancellationToken);

    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) =>
        inner.FindByAttemptNameAsync(sageMakerJobName, cancellationToken);

    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) =>
        inner.FindByIdempotencyKeyAsync(owner, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default) =>
        inner.GetWaitingAsync(instanceType, limit, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default) =>
        inner.GetHoldingCapacityAsync(instanceType, cancellationToken);

    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default) => inner.CountWaitingAheadAsync(job, cancellationToken);

    public Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

    public Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
        inner.RemoveFinishedAsync(endedBefore, limit, cancellationToken);

    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        inner.TryAcquireLeaseAsync(holder, now, duration, cancellationToken);
}
