using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Core;

namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>
/// The start-forecast backtest: replays a <see cref="ForecastTrace"/> through the real planner with the real runtime
/// history learning as runs end, records every waiting job's forecast at regular instants and compares it with when the
/// job really started; beside it, the two baselines measured on the same samples. Then validates the duration model
/// alone over time across the families (<see cref="DurationModelValidation"/>). Figures are printed, not asserted.
/// </summary>
internal sealed class ForecastBacktestScenario : IBenchmarkScenario
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromHours(1);

    private static readonly (string Name, int From, int To)[] DepthBuckets =
    [
        ("1st in line", 1, 1),
        ("2nd–5th", 2, 5),
        ("6th–20th", 6, 20),
        ("21st–100th", 21, 100),
        ("beyond 100th", 101, int.MaxValue),
    ];

    public string Name => "forecast";

    public string Description => "start-forecast backtest: coverage and error of expected starts against MaxRuntime-only and position × mean baselines";

    public Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var span = TimeSpan.FromDays(context.Quick ? 6 : 14);
        var trace = ForecastTrace.Generate(span, seed: 17);
        var options = new QueueOptions { Capacity = new Dictionary<string, int>(ForecastTrace.Capacity) };
        var samples = new List<(ForecastSample Sample, DateTimeOffset Actual, string Pool)>();
        var completions = new List<CompletedRun>();
        var preemptions = 0;
        foreach (var (pool, capacity) in ForecastTrace.Capacity)
        {
            BenchmarkLog.Write(Formats.Invariant($"forecast: replaying {pool}"));
            var replay = ForecastReplay.Run(pool, capacity, options, trace, SampleEvery);
            preemptions += replay.Preemptions;
            completions.AddRange(replay.Completions);
            foreach (var sample in replay.Samples)
            {
                samples.Add((sample, replay.Starts[sample.Job].First(s => s >= sample.At), pool));
            }
        }

        var details = new List<string>
        {
            Formats.Invariant($"Trace: {trace.Count:N0} jobs over {span.TotalDays:0} days, {ForecastTrace.Families.Count} families in {ForecastTrace.Capacity.Count} pools ({string.Join(", ", ForecastTrace.Capacity.Select(p => $"{p.Key} × {p.Value}"))}), offered load {ForecastTrace.OfferedLoad:P0} on average with a daily peak of 1.8× the mean rate; {preemptions:N0} preemptions; family {ForecastTrace.ShiftedFamily} runs twice as long from day {span.TotalDays / 2:0} on."),
            Formats.Invariant($"Forecasts recorded every {SampleEvery.TotalMinutes:0} min for every waiting job: {samples.Count:N0} forecasts of {samples.Select(s => s.Sample.Job).Distinct().Count():N0} jobs. Window {options.ForecastWindow} runs, at least {Core.Forecasting.RuntimeHistory.MinRuns}, earliest at the {Core.Forecasting.DurationEstimate.Early:P0} quantile."),
            "Baselines on the same samples: MaxRuntime-only (the same replay with every attempt running to its MaxRuntime, what a backfill scheduler's estimate amounts to) and position × mean runtime (position × the pool's mean recent runtime × mean instances per job ÷ capacity).",
            string.Empty,
            "| Place in line | forecasts | in [earliest, latest] | started before earliest | after latest | median width of range | median abs. error, likely | MaxRuntime-only | position × mean | better than MaxRuntime-only |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        var rows = DepthBuckets.Select(b => (b.Name, Items: samples.Where(s => s.Sample.Position >= b.From && s.Sample.Position <= b.To).ToList())).ToList();
        rows.Add(("all", samples));
        foreach (var (name, items) in rows)
        {
            if (items.Count == 0)
            {
                continue;
            }

            var accuracy = Accuracy.Of(items.Select(s => (s.Sample, s.Actual)).ToList());
            details.Add(Formats.Invariant($"| {name} | {items.Count:N0} | {Formats.Percent(accuracy.Coverage)} | {Formats.Percent(accuracy.Early)} | {Formats.Percent(accuracy.Late)} | {Hours(accuracy.Width)} | {Hours(accuracy.Likely)} | {Hours(accuracy.MaxRuntimeOnly)} | {Hours(accuracy.ByPosition)} | {Formats.Ratio(accuracy.MaxRuntimeOnly / accuracy.Likely)} |"));
        }

        details.AddRange(ArrivalAllowanceReport(rows, options.ForecastArrivalWindow));
        details.Add(string.Empty);
        details.Add("By pool:");
        details.Add(string.Empty);
        details.Add("| Pool | forecasts | in [earliest, latest] | median abs. error, likely | MaxRuntime-only | position × mean |");
        details.Add("|---|---:|---:|---:|---:|---:|");
        foreach (var pool in samples.GroupBy(s => s.Pool))
        {
            var accuracy = Accuracy.Of(pool.Select(s => (s.Sample, s.Actual)).ToList());
            details.Add(Formats.Invariant($"| {pool.Key} | {pool.Count():N0} | {Formats.Percent(accuracy.Coverage)} | {Hours(accuracy.Likely)} | {Hours(accuracy.MaxRuntimeOnly)} | {Hours(accuracy.ByPosition)} |"));
        }

        details.Add(string.Empty);
        details.AddRange(DurationModelValidation.Report(completions, span, options));

        var all = Accuracy.Of(samples.Select(s => (s.Sample, s.Actual)).ToList());
        var figures = new List<BenchmarkFigure>
        {
            new(Name, "coverage: starts inside [earliest, latest]", Formats.Percent(all.Coverage), "—", "—", "≥ 80 %", all.Coverage >= 0.8),
            new(Name, "median abs. error of likely", Hours(all.Likely), "MaxRuntime-only: " + Hours(all.MaxRuntimeOnly), Formats.Ratio(all.MaxRuntimeOnly / all.Likely), "≥ 2× better", all.MaxRuntimeOnly >= 2 * all.Likely),
            new(Name, "median abs. error of likely", Hours(all.Likely), "position × mean: " + Hours(all.ByPosition), Formats.Ratio(all.ByPosition / all.Likely), "reported", null),
        };
        return Task.FromResult(new ScenarioResult(figures, details));
    }

    /// <summary>
    /// Coverage and width of the range by place in line with <c>latest</c> as it was before it allowed for arrivals (the
    /// baseline) and as each arrival window widens it, all on the same samples.
    /// </summary>
    private static IEnumerable<string> ArrivalAllowanceReport(List<(string Name, List<(ForecastSample Sample, DateTimeOffset Actual, string Pool)> Items)> rows, TimeSpan chosen)
    {
        yield return string.Empty;
        yield return Formats.Invariant($"`latest` widened by the higher-priority work arriving at the rate seen over a window (the forecast uses {chosen.TotalHours:0} h), against no allowance, on the same samples: share inside [earliest, latest] / started after latest / median width.");
        yield return string.Empty;
        var header = "| Place in line | no allowance |" + string.Concat(ForecastReplay.ArrivalWindows.Select(w => Formats.Invariant($" window {w.TotalHours:0} h |")));
        yield return header;
        yield return "|---|---:|" + string.Concat(ForecastReplay.ArrivalWindows.Select(_ => "---:|"));
        foreach (var (name, items) in rows)
        {
            if (items.Count == 0)
            {
                continue;
            }

            var cells = new List<string> { Cell(items, s => s.LatestWithoutArrivals) };
            cells.AddRange(ForecastReplay.ArrivalWindows.Select(w => Cell(items, s => s.LatestByWindow[w])));
            yield return $"| {name} | {string.Join(" | ", cells)} |";
        }
    }

    private static string Cell(List<(ForecastSample Sample, DateTimeOffset Actual, string Pool)> items, Func<ForecastSample, DateTimeOffset> latest)
    {
        var accuracy = Accuracy.Of(items.Select(s => (s.Sample.WithLatest(latest(s.Sample)), s.Actual)).ToList());
        return Formats.Invariant($"{Formats.Percent(accuracy.Coverage)} / {Formats.Percent(accuracy.Late)} / {Hours(accuracy.Width)}");
    }

    private static string Hours(TimeSpan value) => Formats.Invariant($"{value.TotalHours:0.00} h");
}
