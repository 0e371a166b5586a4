using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Queries;

/// <summary>
/// What every surface asks of the queue without changing it: a job with its queue position and waiting reason, a page
/// of them, each pool's capacity. The HTTP API and the SageMaker-compatible endpoint both answer from here, so they agree.
/// </summary>
public sealed class JobQueries
{
    private static readonly IReadOnlyList<QueuedJob> NotRead = [];

    private readonly IJobStore _store;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;

    internal JobQueries(IJobStore store, IOptionsMonitor<QueueOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
    }

    /// <summary>The job of that name with its place in line, or null.</summary>
    public async Task<JobView?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var job = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return job is null ? null : await DescribeAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="job"/>, one the caller has just read or written, with its place in line. A waiting job costs an
    /// index count; only the head of its pool also reads the pool's holders, since only its reason depends on them.
    /// </summary>
    public async Task<JobView> DescribeAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.State.IsWaiting())
        {
            return new JobView(job, null, null, job.Reason);
        }

        var ahead = await _store.CountWaitingAheadAsync(job, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var holding = ahead == 0 && !job.IsBackingOffAt(now)
            ? await _store.GetHoldingCapacityAsync(job.InstanceType, cancellationToken).ConfigureAwait(false)
            : NotRead;
        int? capacity = _options.CurrentValue.Capacity.TryGetValue(job.InstanceType, out var instances) ? instances : null;
        var reason = WaitingReason.For(job, ahead, holding, capacity, now);

        // A back-off keeps the stored reason: it names SageMaker's refusal and the delay.
        var text = reason is null or { Code: WaitReasonCode.BackingOff } ? job.Reason : reason.Describe();
        return new JobView(job, ahead + 1, reason, text);
    }

    /// <summary>One page of jobs in queue order, each with its place in line.</summary>
    public async Task<JobViewPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        var page = await _store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var views = new List<JobView>(page.Jobs.Count);
        foreach (var job in page.Jobs)
        {
            views.Add(await DescribeAsync(job, cancellationToken).ConfigureAwait(false));
        }

        return new JobViewPage(views, page.NextPageToken);
    }

    /// <summary>Each configured pool's capacity and use, by instance type.</summary>
    public async Task<IReadOnlyList<PoolCapacity>> GetCapacityAsync(CancellationToken cancellationToken = default)
    {
        var pools = new List<PoolCapacity>();
        foreach (var (instanceType, capacity) in _options.CurrentValue.Capacity.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var holding = await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false);
            var used = holding.Sum(j => j.InstanceCount);
            pools.Add(new PoolCapacity(instanceType, capacity, used, Math.Max(0, capacity - used)));
        }

        return pools;
    }
}
