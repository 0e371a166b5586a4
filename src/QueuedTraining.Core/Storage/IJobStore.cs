using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Storage;

/// <summary>
/// Where queued jobs live. The contract is written for a key-value store with single-item conditional
/// writes (DynamoDB) as much as for SQL: every change is one job written against the version it was read
/// at, queue order comes from an index on <see cref="QueuedJob.QueueKey"/>, and callers never need a
/// multi-row transaction (a store may use one inside a fenced write, as the DynamoDB store does to check
/// the lease atomically). Every implementation passes the shared contract test suite.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Adds <paramref name="job"/> if no job of its name exists and, when it carries an idempotency key, no job of its
    /// owner holds that key; durably before returning. The check is part of the write, so of concurrent submissions
    /// only one is stored. Otherwise nothing is written and the job that holds the name (or else the key) is returned.
    /// </summary>
    Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default);

    /// <summary>The job of that name, or null.</summary>
    Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The job whose current attempt has this SageMaker name, or null. Only the current attempt is
    /// indexed: a late event about an older attempt finds nothing and is ignored, which is what it deserves.
    /// </summary>
    Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default);

    /// <summary>The job that <paramref name="owner"/> submitted with this idempotency key, or null.</summary>
    Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces <paramref name="current"/> with <paramref name="updated"/> if the stored job still has
    /// <paramref name="current"/>'s version; the stored version then becomes one more. With a
    /// <paramref name="fence"/>, the write also succeeds only while that lease is still the newest one,
    /// so a scheduler that lost its lease can never commit a decision. <paramref name="durability"/> says when the
    /// write must be on disk (see <see cref="WriteDurability"/>).
    /// </summary>
    Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> waiting jobs (pending or preempted) of a pool, in queue order. Like every list a
    /// store returns, it is the caller's: the store never changes it afterwards (the engine keeps it for its gauges).
    /// </summary>
    Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default);

    /// <summary>The jobs of a pool that hold instances (starting, running, preempting, stopping).</summary>
    Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default);

    /// <summary>How many waiting jobs of the job's pool are ahead of it in queue order.</summary>
    Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to <paramref name="limit"/> finished jobs that ended before <paramref name="endedBefore"/>, oldest first,
    /// with their idempotency keys, and returns how many it removed. A job that changed since it was read is left alone.
    /// The finished jobs' keys (<see cref="Jobs.QueueOrderKey.FinishedBefore"/>) make this a range of the queue-order index.
    /// </summary>
    Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>One page of jobs: unfinished ones in queue order, then finished ones, most recently ended first; optionally of one state.</summary>
    Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the scheduler lease for <paramref name="holder"/> if it is free, expired at
    /// <paramref name="now"/>, or already held by <paramref name="holder"/> (then it is extended).
    /// A new holder gets a larger <see cref="SchedulerLease.Token"/>, which fences off the previous one.
    /// </summary>
    Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IJobStore.AddAsync"/>.</summary>
/// <param name="Added">True when this call created the job.</param>
/// <param name="Job">The stored job: the new one, or the one that already had the name.</param>
public sealed record JobAddResult(bool Added, QueuedJob Job);

/// <summary>How a conditional write ended.</summary>
public enum JobUpdateOutcome
{
    /// <summary>The write happened.</summary>
    Updated,

    /// <summary>Someone changed the job since it was read; read it again and decide again.</summary>
    VersionConflict,

    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>The fence's lease is no longer the newest; the caller must stop scheduling.</summary>
    FenceRejected,
}

/// <summary>The outcome of <see cref="IJobStore.TryUpdateAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Job">The stored job after the write, when it happened.</param>
public sealed record JobUpdateResult(JobUpdateOutcome Outcome, QueuedJob? Job)
{
    /// <summary>True when the write happened.</summary>
    public bool Succeeded => Outcome == JobUpdateOutcome.Updated;
}

/// <summary>A request for one page of <see cref="IJobStore.ListAsync"/>.</summary>
/// <param name="State">Only jobs in this state; null for every job.</param>
/// <param name="PageSize">The most jobs on the page.</param>
/// <param name="PageToken">The token from the previous page, or null for the first.</param>
public sealed record JobListQuery(JobState? State, int PageSize, string? PageToken = null);

/// <summary>One page of jobs in queue order.</summary>
/// <param name="Jobs">The jobs.</param>
/// <param name="NextPageToken">The token for the next page; null on the last one.</param>
public sealed record JobListPage(IReadOnlyList<QueuedJob> Jobs, string? NextPageToken);

/// <summary>The scheduler lease: only its holder may commit start and preemption decisions.</summary>
/// <param name="Holder">Who holds it (a replica's id).</param>
/// <param name="Token">A fencing token that grows with every change of holder.</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
public sealed record SchedulerLease(string Holder, long Token, DateTimeOffset ExpiresAt);

/// <summary>The page token a store was given is not one it issued.</summary>
public sealed class InvalidPageTokenException(string message) : Contracts.QueuedTrainingException(message);
