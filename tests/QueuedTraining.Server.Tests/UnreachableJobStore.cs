using Microsoft.Data.Sqlite;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// The service's real store, which can be cut off: while <see cref="Unreachable"/> is set every call fails the way
/// SQLite fails when its file cannot be opened (SQLITE_CANTOPEN). A file made unreadable does not do it here: the
/// store keeps its connections open, and the tests run as root.
/// </summary>
internal sealed class UnreachableJobStore(IJobStore inner) : IJobStore
{
    public volatile bool Unreachable;

    private IJobStore Store => Unreachable ? throw new SqliteException("SQLite Error 14: 'unable to open database file'.", 14) : inner;

    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default) => Store.AddAsync(job, cancellationToken);

    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) => Store.GetAsync(name, cancellationToken);

    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) =>
        Store.FindByAttemptNameAsync(sageMakerJobName, cancellationToken);

    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Store.FindByIdempotencyKeyAsync(owner, idempotencyKey, cancellationToken);

    public Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default) =>
        Store.TryUpdateAsync(current, updated, fence, durability, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default) =>
        Store.GetWaitingAsync(instanceType, limit, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default) =>
        Store.GetHoldingCapacityAsync(instanceType, cancellationToken);

    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default) => Store.CountWaitingAheadAsync(job, cancellationToken);

    public Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
        Store.RemoveFinishedAsync(endedBefore, limit, cancellationToken);

    public Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default) => Store.ListAsync(query, cancellationToken);

    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        Store.TryAcquireLeaseAsync(holder, now, duration, cancellationToken);
}
