using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Storage;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core.Queries;

/// <summary>
/// What every surface asks of the queue without changing it: a job with its queue position and waiting reason, a page
/// of them, each pool's capacity. The HTTP API and the SageMaker-compatible endpoint both answer from here, so they agree.
/// </summary>
public sealed partial class JobQueries
{
    /// <summary>The most store pages one filtered listing call reads before it answers a short page.</summary>
    public const int MaxStoreReadsPerPage = 20;

    private static readonly IReadOnlyList<QueuedJob> NotRead = [];

    private readonly IJobStore _store;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly ISchedulingPolicy _policy;
    private readonly RuntimeHistory _history;
    private readonly ArrivalHistory _arrivals;
    private readonly SchedulerSignal _signal;
    private readonly TeamUsageLedger _usage;
    private readonly CheckpointCache _checkpoints;
    private readonly ForecastCache _forecasts = new();
    private readonly WaitingLines _lines = new();

    internal JobQueries(IJobStore store, IOptionsMonitor<QueueOptions> options, TimeProvider time, ISchedulingPolicy policy, RuntimeHistory history, SchedulerSignal signal, TeamUsageLedger usage, ArrivalHistory arrivals, CheckpointCache checkpoints)
    {
        _checkpoints = checkpoints;
        _arrivals = arrivals;
        _signal = signal;
        _usage = usage;
        _store = store;
        _options = options;
        _time = time;
        _policy = policy;
        _history = history;
    }

    /// <summary>
    /// <paramref name="holding"/> with the checkpoints the scheduler knows of, so that a head's reason (waiting for a
    /// victim's checkpoint, say) is the one its next pass gives it.
    /// </summary>
    private IReadOnlyList<QueuedJob> WithCheckpoints(IReadOnlyList<QueuedJob> holding) => _checkpoints.Known(holding);

    /// <summary>The job of that name with its place in line, or null when there is none or <paramref name="viewer"/> may not see it.</summary>
    public async Task<JobView?> GetAsync(string name, JobCaller viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var job = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return job is null || !viewer.MaySee(job) ? null : await DescribeAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="job"/>, one the caller has just read or written, with its place in line and, while it waits, its
    /// expected start (see <see cref="ForecastAsync"/>).
    /// </summary>
    public async Task<JobView> DescribeAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        var view = await DescribePlaceAsync(job, cancellationToken).ConfigureAwait(false);
        if (view.QueuePosition is not { } position || position > MaxForecastDepth)
        {
            return view;
        }

        var forecasts = await ForecastAsync(job.InstanceType, cancellationToken).ConfigureAwait(false);
        return view with { ExpectedStart = ReadForecast(forecasts, job.Name) };
    }

    /// <summary>
    /// <paramref name="job"/> with its place in line. A waiting job costs an index count; only the head of its pool also
    /// reads the pool's holders, since only its reason depends on them.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="plans">With teams, the pools planned for the same answer (a listing page), so that its jobs share one plan per pool.</param>
    private async Task<JobView> DescribePlaceAsync(QueuedJob job, CancellationToken cancellationToken, Dictionary<string, Task<PlannedPool>>? plans = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var options = _options.CurrentValue;
        var rules = options.PreemptionRulesFor(job.InstanceType);
        var preemptionsLeft = job.State.IsTerminal() ? null : rules.PreemptionsLeft(job);
        if (!job.State.IsWaiting())
        {
            // Priority is the only rule that preempts today; a policy with other rules records which one on the job.
            var preempting = job.State == JobState.Preempting ? ReasonCatalog.For(PreemptionRule.HigherPriority).Code : null;
            return new JobView(job, null, null, job.Reason) { PreemptionsLeft = preemptionsLeft, ReasonCode = preempting };
        }

        var ahead = await _store.CountWaitingAheadAsync(job, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var holding = ahead == 0 && !job.IsBackingOffAt(now)
            ? WithCheckpoints(await _store.GetHoldingCapacityAsync(job.InstanceType, cancellationToken).ConfigureAwait(false))
            : NotRead;
        int? capacity = options.Capacity.TryGetValue(job.InstanceType, out var instances) ? instances : null;
        var reason = options.HasTeams && capacity is not null && !job.IsBackingOffAt(now)
            ? await TeamWaitReasonAsync(job, ahead, options, now, plans, cancellationToken).ConfigureAwait(false)
            : WaitingReason.For(job, ahead, holding, capacity, now, _policy, rules);

        // A back-off keeps the stored reason: it names SageMaker's refusal and the delay.
        var text = reason is null or { Code: WaitReasonCode.BackingOff } ? job.Reason : reason.Describe();
        return new JobView(job, ahead + 1, reason, text)
        {
            PreemptionsLeft = preemptionsLeft,
            ReasonCode = reason is null ? null : ReasonCatalog.For(reason.Code).Code,
            EffectivePriority = options.AgingFor(job.InstanceType).EffectivePriority(job, now),
        };
    }

    /// <summary>
    /// One page of the jobs <paramref name="viewer"/> may see, in queue order, each with its place in line. For a caller
    /// who is not an operator the store's pages are filtered to its own jobs: a page may then be short, and only a
    /// missing token ends the listing.
    /// </summary>
    /// <remarks>
    /// The filter reads other tenants' jobs to skip them, at most <see cref="MaxStoreReadsPerPage"/> store pages per call;
    /// an owner index in each store would make a tenant's listing cost only its own jobs.
    /// </remarks>
    /// <param name="query">The page asked for.</param>
    /// <param name="viewer">Who asks.</param>
    /// <param name="team">Only jobs of this team; null for every team. Filtered like another tenant's jobs are.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<JobViewPage> ListAsync(JobListQuery query, JobCaller viewer, string? team = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        Func<QueuedJob, bool> keep = team is null ? viewer.MaySee : job => job.Team == team && viewer.MaySee(job);
        var page = await ListJobsAsync(query, keep, cancellationToken).ConfigureAwait(false);
        var views = new List<JobView>(page.Jobs.Count);
        var plans = new Dictionary<string, Task<PlannedPool>>(StringComparer.Ordinal);
        foreach (var job in page.Jobs)
        {
            views.Add(await DescribePlaceAsync(job, cancellationToken, plans).ConfigureAwait(false));
        }

        return new JobViewPage(await WithExpectedStartsAsync(views, cancellationToken).ConfigureAwait(false), page.NextPageToken);
    }

    /// <summary>
    /// One page of the jobs <paramref name="keep"/> accepts, in queue order, read through as many store pages as it takes
    /// (at most <see cref="MaxStoreReadsPerPage"/>). A page may be short; only a missing token ends the listing, and the
    /// token is the store's own, so a listing resumed from it never skips or repeats a job.
    /// </summary>
    public async Task<JobListPage> ListJobsAsync(JobListQuery query, Func<QueuedJob, bool> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keep);
        var jobs = new List<QueuedJob>(query.PageSize);
        var token = query.PageToken;
        for (var reads = 0; reads < MaxStoreReadsPerPage && jobs.Count < query.PageSize; reads++)
        {
            // Never read more than still fits, so that the store's token marks exactly where the next page starts.
            var page = await _store.ListAsync(query with { PageSize = query.PageSize - jobs.Count, PageToken = token }, cancellationToken).ConfigureAwait(false);
            jobs.AddRange(page.Jobs.Where(keep));
            token = page.NextPageToken;
            if (token is null)
            {
                break;
            }
        }

        return new JobListPage(jobs, token);
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
