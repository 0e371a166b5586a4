using QueuedTraining.Core.Storage;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// Fills a store with waiting jobs through <see cref="IJobStore.AddAsync"/>, many at a time so the
/// SQLite write batcher groups them into large commits: the fast path for 100,000 jobs, and still every
/// row written the way the submit path writes it.
/// </summary>
internal static class JobSeeder
{
    private const int InFlight = 2048;

    /// <summary>
    /// Adds <paramref name="count"/> pending jobs named <c>{prefix}-{i}</c>, priorities 0–9, one millisecond apart, each of
    /// the team <paramref name="teamOf"/> gives its number (the default team when null).
    /// </summary>
    public static async Task SeedAsync(IJobStore store, string prefix, int count, string instanceType, int seed, CancellationToken cancellationToken, Func<int, string>? teamOf = null)
    {
        var random = new Random(seed);
        for (var start = 0; start < count; start += InFlight)
        {
            var end = Math.Min(count, start + InFlight);
            var adds = new List<Task<JobAddResult>>(end - start);
            for (var i = start; i < end; i++)
            {
                var job = BenchmarkJobs.PendingJob(Formats.Invariant($"{prefix}-{i:D6}"), random.Next(10), instanceType, BenchmarkJobs.Epoch.AddMilliseconds(i));
                job = teamOf is null ? job : job with { Team = teamOf(i) };
                adds.Add(store.AddAsync(job, cancellationToken));
            }

            foreach (var added in await Task.WhenAll(adds))
            {
                if (!added.Added)
                {
                    throw new InvalidOperationException($"Seeding found {added.Job.Name} already stored.");
                }
            }
        }
    }
}
