using System.Globalization;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// The recent runtimes forecasts learn from, kept in memory, each window per pool: per family and owner, per family, and
/// per owner and per pool as shares of MaxRuntime.
/// A completed job is added as its completion is applied; the first forecast fills the windows from one bounded read of
/// the newest completed jobs. No request reads finished jobs from the store.
/// </summary>
internal sealed class RuntimeHistory
{
    /// <summary>
    /// The fewest runs a window needs before it is used: the median of three already outvotes one outlier, where one or
    /// two runs would make the forecast a copy of a single run.
    /// </summary>
    public const int MinRuns = 3;

    private const int SeedPageSize = 200;

    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Pool, string Family, string Owner), List<Run>> _ownFamilies = [];
    private readonly Dictionary<(string Pool, string Family), List<Run>> _families = [];
    private readonly Dictionary<(string Pool, string Owner), List<Run>> _owners = [];
    private readonly Dictionary<string, List<Run>> _pools = new(StringComparer.Ordinal);

    // Jobs of one family, owner and bound share one estimate until the next run is recorded: a forecast asks for every waiting job's.
    private readonly Dictionary<(string Pool, string Family, string Owner, TimeSpan MaxRuntime), DurationEstimate> _estimates = [];
    private Task? _seeding;

    public RuntimeHistory(IOptionsMonitor<QueueOptions> options) => _options = options;

    /// <summary>Fills the windows from the store once; later calls wait for that read, then return at once.</summary>
    public Task EnsureSeededAsync(IJobStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        lock (_gate)
        {
            // The read serves every later caller, so one caller's cancellation must not cancel it.
            _seeding ??= SeedAsync(store);
            if (_seeding.IsFaulted)
            {
                _seeding = SeedAsync(store);
            }

            return _seeding.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Adds <paramref name="job"/>'s final attempt if the job completed; anything else is ignored.</summary>
    public void Record(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State != JobState.Completed || job.CurrentAttempt is not { EndedAt: { } ended } attempt || ended <= attempt.StartedAt)
        {
            return;
        }

        var traits = JobTraits.Of(job, _options.CurrentValue.ForecastFamilyTagKey);
        var run = new Run(job.Name, ended, ended - attempt.StartedAt, traits.MaxRuntime);
        var window = _options.CurrentValue.ForecastWindow;
        lock (_gate)
        {
            Add(GetOrAdd(_ownFamilies, (job.InstanceType, traits.Family, job.Owner)), run, window);
            Add(GetOrAdd(_families, (job.InstanceType, traits.Family)), run, window);
            Add(GetOrAdd(_owners, (job.InstanceType, job.Owner)), run, window);
            Add(GetOrAdd(_pools, job.InstanceType), run, window);
            _estimates.Clear();
        }
    }

    /// <summary>
    /// How long <paramref name="job"/>'s attempts are expected to take, from the first of these, in its pool, with enough
    /// runs: its owner's recent runs of its family (one family name can mean different work to different teams); its
    /// family's; its owner's runs, each as a share of its own MaxRuntime, applied to this job's (how generously a team sets
    /// its bounds carries over between its families); its pool's, likewise; else no runs at all.
    /// </summary>
    public DurationEstimate EstimateFor(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return EstimateFor(job.InstanceType, job.Owner, JobTraits.Of(job, _options.CurrentValue.ForecastFamilyTagKey));
    }

    /// <summary>How long attempts of <paramref name="owner"/>'s job of <paramref name="traits"/> in <paramref name="instanceType"/>'s pool are expected to take.</summary>
    public DurationEstimate EstimateFor(string instanceType, string owner, JobTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        lock (_gate)
        {
            var key = (instanceType, traits.Family, owner, traits.MaxRuntime);
            if (!_estimates.TryGetValue(key, out var estimate))
            {
                estimate = Estimate(instanceType, owner, traits);
                _estimates[key] = estimate;
            }

            return estimate;
        }
    }

    /// <summary>The estimate for <paramref name="owner"/>'s jobs of <paramref name="traits"/> in <paramref name="instanceType"/>'s pool; under the lock.</summary>
    private DurationEstimate Estimate(string instanceType, string owner, JobTraits traits)
    {
        if (_ownFamilies.TryGetValue((instanceType, traits.Family, owner), out var own) && own.Count >= MinRuns)
        {
            return FromRuntimes(own, traits, $"family {traits.Family} by {owner}");
        }

        if (_families.TryGetValue((instanceType, traits.Family), out var family) && family.Count >= MinRuns)
        {
            return FromRuntimes(family, traits, $"family {traits.Family}");
        }

        if (_owners.TryGetValue((instanceType, owner), out var owners) && owners.Count >= MinRuns)
        {
            return FromShares(owners, traits, $"{instanceType} runs by {owner}");
        }

        if (_pools.TryGetValue(instanceType, out var pool) && pool.Count >= MinRuns)
        {
            return FromShares(pool, traits, $"{instanceType} runs");
        }

        return new DurationEstimate([], traits.MaxRuntime, Invariant($"no runs of family {traits.Family} or in {instanceType} yet: half of its MaxRuntime, {DurationEstimate.Format(traits.MaxRuntime / 2)}"));
    }

    private static DurationEstimate FromRuntimes(List<Run> runs, JobTraits traits, string of)
    {
        var runtimes = runs.Select(r => r.Runtime).Order().ToList();
        var median = runtimes[DurationEstimate.NearestRank(DurationEstimate.Median, runtimes.Count)];
        return new DurationEstimate(runtimes, traits.MaxRuntime, Invariant($"{runtimes.Count} recent runs of {of}, median {DurationEstimate.Format(median)}"));
    }

    private static DurationEstimate FromShares(List<Run> runs, JobTraits traits, string of)
    {
        var shares = runs.Select(r => r.Runtime / r.MaxRuntime).Order().ToList();
        var median = shares[DurationEstimate.NearestRank(DurationEstimate.Median, shares.Count)];
        return new DurationEstimate(
            shares.ConvertAll(share => traits.MaxRuntime * share),
            traits.MaxRuntime,
            Invariant($"no runs of family {traits.Family} yet: {shares.Count} recent {of}, median {median:P0} of MaxRuntime"));
    }

    private async Task SeedAsync(IJobStore store)
    {
        var budget = _options.CurrentValue.ForecastSeedJobs;
        string? token = null;
        while (budget > 0)
        {
            // Finished jobs come newest end first, so the first pages hold exactly the runs the windows keep.
            var page = await store.ListAsync(new JobListQuery(JobState.Completed, Math.Min(SeedPageSize, budget), token), CancellationToken.None).ConfigureAwait(false);
            foreach (var job in page.Jobs)
            {
                Record(job);
            }

            budget -= page.Jobs.Count;
            token = page.NextPageToken;
            if (token is null || page.Jobs.Count == 0)
            {
                break;
            }
        }
    }

    /// <summary>Adds <paramref name="run"/> in order of end, once, keeping the newest <paramref name="size"/>.</summary>
    private static void Add(List<Run> runs, Run run, int size)
    {
        if (runs.Exists(r => r.Job == run.Job))
        {
            return;
        }

        var at = runs.FindIndex(r => r.EndedAt > run.EndedAt);
        runs.Insert(at < 0 ? runs.Count : at, run);
        if (runs.Count > size)
        {
            runs.RemoveRange(0, runs.Count - size);
        }
    }

    private static List<Run> GetOrAdd<TKey>(Dictionary<TKey, List<Run>> windows, TKey key)
        where TKey : notnull
    {
        if (!windows.TryGetValue(key, out var runs))
        {
            runs = [];
            windows[key] = runs;
        }

        return runs;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Run(string Job, DateTimeOffset EndedAt, TimeSpan Runtime, TimeSpan MaxRuntime);
}
