using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// A synthetic trace the size of Kueue's scheduler benchmark (15,000 workloads over 30 queues): here 3
/// instance pools × 10 priority levels. Arrivals are a Poisson process whose offered load is 110 % of the
/// capacity, so queues build up and higher priorities preempt; durations are log-uniform between one
/// minute and two hours; a job wants 1 (70 %), 2 (20 %) or 4 (10 %) instances. Seeded, so every run replays
/// the same trace.
/// </summary>
internal static class KueueScaleTrace
{
    public static readonly IReadOnlyDictionary<string, int> Capacity = new Dictionary<string, int>
    {
        ["ml.p5.48xlarge"] = 16,
        ["ml.p4d.24xlarge"] = 32,
        ["ml.g5.12xlarge"] = 64,
    };

    public const int PriorityLevels = 10;

    private const double OfferedLoad = 1.1;
    private const double MinSeconds = 60;
    private const double MaxSeconds = 7200;

    public static IReadOnlyList<TraceJob> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var pools = Capacity.Keys.ToArray();
        var totalCapacity = Capacity.Values.Sum();

        // Mean instance-seconds per job: log-uniform mean duration × mean instance count (1.5).
        var meanDuration = (MaxSeconds - MinSeconds) / Math.Log(MaxSeconds / MinSeconds);
        var arrivalsPerSecond = OfferedLoad * totalCapacity / (meanDuration * 1.5);
        var at = TimeSpan.Zero;
        var jobs = new List<TraceJob>(count);
        for (var i = 0; i < count; i++)
        {
            at += TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) / arrivalsPerSecond);

            // Pools are picked in proportion to their capacity, so each sees the same offered load.
            var pick = random.Next(totalCapacity);
            var pool = pools.First(p => (pick -= Capacity[p]) < 0);
            var instances = random.NextDouble() switch { < 0.7 => 1, < 0.9 => 2, _ => 4 };
            var duration = TimeSpan.FromSeconds(Math.Round(MinSeconds * Math.Pow(MaxSeconds / MinSeconds, random.NextDouble())));
            jobs.Add(new TraceJob(at, $"trace-{i:D5}", random.Next(PriorityLevels), pool, instances, duration));
        }

        return jobs;
    }

    public static CreateTrainingJobRequest Request(TraceJob job) =>
        Infrastructure.BenchmarkJobs.Request(job.Name, job.Priority, job.InstanceType, job.InstanceCount, job.Duration);
}

/// <summary>One job of the trace: when it arrives and what it asks for.</summary>
internal sealed record TraceJob(TimeSpan ArrivesAfter, string Name, int Priority, string InstanceType, int InstanceCount, TimeSpan Duration);
