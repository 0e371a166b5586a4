namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>
/// A synthetic trace shaped like a shared training cluster, for the start-forecast backtest: job families of several
/// teams, each with its own lognormal runtime (median and spread), its own generous MaxRuntime (as users set it, several
/// times the median), its usual priority (one job in ten is urgent, three levels higher) and instance count; arrivals
/// are a Poisson process whose rate follows the working day (peaks in the afternoon, quiet at night), scaled so that
/// each pool's offered load averages <see cref="OfferedLoad"/> and queues build by day and drain by night. One family
/// (<see cref="ShiftedFamily"/>) takes twice as long from the middle of the trace on, as when a model grows. Seeded.
/// </summary>
internal static class ForecastTrace
{
    public const string ShiftedFamily = "diffusion-train";

    public static readonly IReadOnlyDictionary<string, int> Capacity = new Dictionary<string, int>
    {
        ["ml.p4d.24xlarge"] = 16,
        ["ml.g5.12xlarge"] = 32,
    };

    public static readonly IReadOnlyList<TraceFamily> Families =
    [
        new("resnet-sweep", "vision", "ml.g5.12xlarge", TimeSpan.FromMinutes(45), 0.5, TimeSpan.FromHours(6), 3, 1, 0.30),
        new("bert-finetune", "nlp", "ml.g5.12xlarge", TimeSpan.FromHours(2), 0.4, TimeSpan.FromHours(12), 5, 2, 0.25),
        new("data-prep", "platform", "ml.g5.12xlarge", TimeSpan.FromMinutes(10), 0.8, TimeSpan.FromHours(2), 7, 1, 0.15),
        new("hpo-trial", "research", "ml.g5.12xlarge", TimeSpan.FromMinutes(30), 1.0, TimeSpan.FromHours(8), 1, 1, 0.30),
        new("llm-pretrain", "nlp", "ml.p4d.24xlarge", TimeSpan.FromHours(6), 0.3, TimeSpan.FromHours(24), 5, 4, 0.35),
        new(ShiftedFamily, "vision", "ml.p4d.24xlarge", TimeSpan.FromHours(2), 0.6, TimeSpan.FromHours(24), 3, 2, 0.25),
        new("eval-suite", "research", "ml.p4d.24xlarge", TimeSpan.FromMinutes(20), 0.7, TimeSpan.FromHours(4), 8, 1, 0.15),
        new("ablation", "research", "ml.p4d.24xlarge", TimeSpan.FromHours(1.5), 0.5, TimeSpan.FromHours(12), 2, 1, 0.25),
    ];

    public const double OfferedLoad = 0.85;

    private const double UrgentShare = 0.1;
    private const int UrgentBoost = 3;

    /// <summary>Arrivals over <paramref name="span"/>, in order of arrival.</summary>
    public static IReadOnlyList<ForecastTraceJob> Generate(TimeSpan span, int seed)
    {
        var random = new Random(seed);
        var jobs = new List<ForecastTraceJob>();
        var counters = Families.ToDictionary(f => f.Name, _ => 0);
        foreach (var (pool, capacity) in Capacity)
        {
            var families = Families.Where(f => f.Pool == pool).ToList();
            var weights = families.Sum(f => f.Share);

            // Mean instance-seconds per arrival in this pool, from the lognormal means before the shift.
            var work = families.Sum(f => f.Share / weights * f.InstanceCount * f.Median.TotalSeconds * Math.Exp(f.Sigma * f.Sigma / 2));
            var meanRate = OfferedLoad * capacity / work;
            var peakRate = meanRate * (1 + DailyAmplitude);
            var at = 0.0;
            while (true)
            {
                // Thinning: draw at the peak rate and keep each arrival with the day's rate at that time over the peak.
                at += -Math.Log(1 - random.NextDouble()) / peakRate;
                if (at >= span.TotalSeconds)
                {
                    break;
                }

                if (random.NextDouble() * peakRate > meanRate * Daily(at))
                {
                    continue;
                }

                var pick = random.NextDouble() * weights;
                var family = families.First(f => (pick -= f.Share) < 0 || f == families[^1]);
                var arrival = TimeSpan.FromSeconds(at);
                var median = family.Name == ShiftedFamily && arrival >= span / 2 ? family.Median * 2 : family.Median;
                var runtime = TimeSpan.FromSeconds(Math.Round(median.TotalSeconds * Math.Exp(family.Sigma * Normal(random))));
                runtime = runtime > family.MaxRuntime ? family.MaxRuntime : runtime < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : runtime;
                var priority = family.Priority + (random.NextDouble() < UrgentShare ? UrgentBoost : 0);
                var number = ++counters[family.Name];
                jobs.Add(new ForecastTraceJob(arrival, Infrastructure.Formats.Invariant($"{family.Name}-{number:D5}"), family, priority, runtime));
            }
        }

        jobs.Sort((a, b) => a.ArrivesAfter.CompareTo(b.ArrivesAfter));
        return jobs;
    }

    private const double DailyAmplitude = 0.8;

    /// <summary>The day's shape, mean 1: highest at 15:00, lowest at 03:00.</summary>
    private static double Daily(double seconds) => 1 + (DailyAmplitude * Math.Cos(2 * Math.PI * ((seconds / 3600) - 15) / 24));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A kind of job a team runs again and again.</summary>
/// <param name="Name">The family, and the stem of its jobs' names.</param>
/// <param name="Owner">The team.</param>
/// <param name="Pool">Its instance type.</param>
/// <param name="Median">The median runtime (before any shift).</param>
/// <param name="Sigma">The spread of the log of the runtime.</param>
/// <param name="MaxRuntime">The StoppingCondition its jobs declare.</param>
/// <param name="Priority">Its usual priority.</param>
/// <param name="InstanceCount">Instances per job.</param>
/// <param name="Share">Its share of its pool's arrivals (relative).</param>
internal sealed record TraceFamily(string Name, string Owner, string Pool, TimeSpan Median, double Sigma, TimeSpan MaxRuntime, int Priority, int InstanceCount, double Share);

/// <summary>One job of the trace.</summary>
internal sealed record ForecastTraceJob(TimeSpan ArrivesAfter, string Name, TraceFamily Family, int Priority, TimeSpan Runtime);
