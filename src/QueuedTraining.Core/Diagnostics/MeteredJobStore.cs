using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Diagnostics;

/// <summary>
/// The engine's view of its job store, timing each write (<c>queuedtraining.store.commit.duration</c>) by operation;
/// reads pass straight through. Like <see cref="MeteredSageMakerClient"/>, each engine component that writes wraps the
/// store it was given rather than the container replacing the registered store: a host's own store registration, and
/// what else that store implements (the event stream asks it for <see cref="IJobChangeLog"/>), stay as they are.
/// </summary>
internal sealed class MeteredJobStore(IJobStore inner, QueueMetrics metrics) : IJobStore
{
    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default) =>
        TimeAsync("add", () => inner.AddAsync(job, cancellationToken));

    public Task<JobUpdateResult> TryUpdateAsync(QueuedJob current, QueuedJob updated, SchedulerLease? fence = null, WriteDurability durability = WriteDurability.Immediate, CancellationToken cancellationToken = default) =>
        TimeAsync("update", () => inner.TryUpdateAsync(current, updated, fence, durability, cancellationToken));

    public Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
        TimeAsync("remove_finished", () => inner.RemoveFinishedAsync(endedBefore, limit, cancellationToken));

    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        TimeAsync("lease", () => inner.TryAcquireLeaseAsync(holder, now, duration, cancellationToken));

    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(name, cancellationToken);

    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) =>
        inner.FindByAttemptNameAsync(sageMakerJobName, cancellationToken);

    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) =>
        inner.FindByIdempotencyKeyAsync(owner, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default) =>
        inner.GetWaitingAsync(instanceType, limit, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default) =>
        inner.GetHoldingCapacityAsync(instanceType, cancellationToken);

    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default) =>
        inner.CountWaitingAheadAsync(job, cancellationToken);

    public Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default) =>
        inner.ListAsync(query, cancellationToken);

    private async Task<T> TimeAsync<T>(string operation, Func<Task<T>> write)
    {
        // Timed from before the call: a store may do much of a write synchronously, before it returns its task.
        var began = metrics.StoreWriteBegins();
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            metrics.StoreWritten(operation, began);
        }
    }
}
