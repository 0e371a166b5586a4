using System.Diagnostics;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// A pass-through <see cref="IJobStore"/> that notes the moment a start decision (the fenced write that
/// moves a job to <see cref="JobState.Starting"/>) is committed, so a benchmark can time up to the decision
/// itself rather than to the end of the pass that also calls SageMaker and confirms the start.
/// </summary>
internal sealed class StartDecisionClock(IJobStore inner) : IJobStore
{
    /// <summary>The <see cref="Stopwatch"/> timestamp of the first start decision committed since <see cref="Reset"/>; 0 when none.</summary>
    public long FirstStartCommittedAt { get; private set; }

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp at which the first start decision since <see cref="Reset"/> was handed to the
    /// store, before its commit; 0 when none. Up to here is deciding; from here to <see cref="FirstStartCommittedAt"/>
    /// is making the decision durable.
    /// </summary>
    public long FirstStartDecidedAt { get; private set; }

    public void Reset() => (FirstStartCommittedAt, FirstStartDecidedAt) = (0, 0);

    public async Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        var claim = updated.State == JobState.Starting && current.State != JobState.Starting;
        if (claim && FirstStartDecidedAt == 0)
        {
            FirstStartDecidedAt = Stopwatch.GetTimestamp();
        }

        var result = await inner.TryUpdateAsync(current, updated, fence, durability, cancellationToken);
        if (result.Succeeded && claim && FirstStartCommittedAt == 0)
        {
            FirstStartCommittedAt = Stopwatch.GetTimestamp();
        }

        return result;
    }

    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default) => inner.AddAsync(job, cancellationToken);

    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) => inner.FindByAttemptNameAsync(sageMakerJobName, cancellationToken);

    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) => inner.FindByIdempotencyKeyAsync(owner, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default) => inner.GetWaitingAsync(instanceType, limit, cancellationToken);

    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default) => inner.GetHoldingCapacityAsync(instanceType, cancellationToken);

    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default) => inner.CountWaitingAheadAsync(job, cancellationToken);

    public Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

    public Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
        inner.RemoveFinishedAsync(endedBefore, limit, cancellationToken);

    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) => inner.TryAcquireLeaseAsync(holder, now, duration, cancellationToken);
}
