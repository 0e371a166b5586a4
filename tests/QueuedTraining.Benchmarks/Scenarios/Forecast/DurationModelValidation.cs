using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Core;
using QueuedTraining.Core.Forecasting;

namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>
/// The duration model validated over time across the panel of families, as forecasting practice asks: for several
/// cut-offs t, a fresh <see cref="RuntimeHistory"/> learns only the runs that ended before t and is tested on each run
/// that ends in the window after t, for every family at once. Several window sizes are compared on the same splits, with
/// the no-learning estimate (half of MaxRuntime) as the baseline; the family whose runtimes double is shown apart. Then
/// the fallbacks for a family with no runs yet, on the same splits with the family's own runs hidden: its team's runs as
/// shares of MaxRuntime against the pool's.
/// </summary>
internal static class DurationModelValidation
{
    private const int Cutoffs = 6;
    private static readonly int[] Windows = [10, 30, 100, 1_000];

    public static IReadOnlyList<string> Report(IReadOnlyList<CompletedRun> runs, TimeSpan span, QueueOptions options)
    {
        var ordered = runs.OrderBy(r => r.EndedAt).ToList();
        var epoch = BenchmarkJobs.Epoch;
        var step = span / (Cutoffs + 2);
        var cutoffs = Enumerable.Range(2, Cutoffs).Select(k => epoch + (step * k)).ToList();
        var errors = new Dictionary<(int Window, string Family, DateTimeOffset Cutoff), List<Outcome>>();
        foreach (var window in Windows)
        {
            foreach (var cutoff in cutoffs)
            {
                var history = new RuntimeHistory(new FixedOptionsMonitor<QueueOptions>(new QueueOptions { Capacity = options.Capacity, ForecastWindow = window }));
                foreach (var run in ordered.TakeWhile(r => r.EndedAt < cutoff))
                {
                    history.Record(run.Job);
                }

                foreach (var run in ordered.Where(r => r.EndedAt >= cutoff && r.EndedAt < cutoff + step))
                {
                    var estimate = history.EstimateFor(run.Job);
                    var key = (window, run.Trace.Family.Name, cutoff);
                    if (!errors.TryGetValue(key, out var list))
                    {
                        list = [];
                        errors[key] = list;
                    }

                    list.Add(new Outcome(
                        Relative(estimate.Quantile(DurationEstimate.Median, TimeSpan.Zero), run.Runtime),
                        Relative(run.Trace.Family.MaxRuntime / 2, run.Runtime),
                        run.Runtime < estimate.Quantile(DurationEstimate.Early, TimeSpan.Zero)));
                }
            }
        }

        var lines = new List<string>
        {
            Formats.Invariant($"Duration model over time: {Cutoffs} cut-offs t every {step.TotalDays:0.0} days; at each, a fresh RuntimeHistory learns only the runs that ended before t and estimates each run that ends in the next {step.TotalDays:0.0} days. Cell: median absolute error of the median estimate, relative to the actual runtime (test runs), window {options.ForecastWindow}."),
            string.Empty,
            "| Family | " + string.Join(" | ", cutoffs.Select(c => Formats.Invariant($"t = day {(c - epoch).TotalDays:0.0}"))) + " | half of MaxRuntime (no learning) |",
            "|---|" + string.Concat(cutoffs.Select(_ => "---:|")) + "---:|",
        };
        foreach (var family in ForecastTrace.Families)
        {
            var cells = cutoffs.Select(c => errors.TryGetValue((options.ForecastWindow, family.Name, c), out var list)
                ? Formats.Invariant($"{Formats.Percent(MedianOf(list.Select(o => o.Error)))} ({list.Count})")
                : "—");
            var baseline = errors.Where(e => e.Key.Window == options.ForecastWindow && e.Key.Family == family.Name).SelectMany(e => e.Value).Select(o => o.Baseline).ToList();
            var name = family.Name == ForecastTrace.ShiftedFamily ? family.Name + " (×2 from day " + Formats.Invariant($"{span.TotalDays / 2:0})") : family.Name;
            lines.Add($"| {name} | {string.Join(" | ", cells)} | {Formats.Percent(MedianOf(baseline))} |");
        }

        var shiftAt = epoch + (span / 2);
        lines.Add(string.Empty);
        lines.Add("By window size, every family and cut-off pooled (the shifted family's cut-offs after its shift also apart):");
        lines.Add(string.Empty);
        lines.Add("| Window (runs) | median abs. error | runs shorter than the 10 % quantile (want ≈ 10 %) | shifted family after the shift: median abs. error |");
        lines.Add("|---:|---:|---:|---:|");
        foreach (var window in Windows)
        {
            var all = errors.Where(e => e.Key.Window == window).SelectMany(e => e.Value).ToList();
            var shifted = errors.Where(e => e.Key.Window == window && e.Key.Family == ForecastTrace.ShiftedFamily && e.Key.Cutoff >= shiftAt).SelectMany(e => e.Value).ToList();
            lines.Add(Formats.Invariant($"| {(window >= 1_000 ? "1,000 (≈ all)" : window.ToString(System.Globalization.CultureInfo.InvariantCulture))} | {Formats.Percent(MedianOf(all.Select(o => o.Error)))} | {Formats.Percent((double)all.Count(o => o.BelowEarly) / Math.Max(1, all.Count))} | {Formats.Percent(MedianOf(shifted.Select(o => o.Error)))} |"));
        }

        var noLearning = errors.Where(e => e.Key.Window == options.ForecastWindow).SelectMany(e => e.Value).Select(o => o.Baseline).ToList();
        lines.Add(Formats.Invariant($"| no learning (half of MaxRuntime) | {Formats.Percent(MedianOf(noLearning))} | — | — |"));
        lines.AddRange(NewFamilyReport(ordered, cutoffs, step, options));
        return lines;
    }

    /// <summary>
    /// How a family's first runs are estimated before it has runs of its own: at each cut-off a history learns every run
    /// that ended before it except the family's, and estimates the family's runs in the next step as its team's job (the
    /// owner level, when the team has runs of other families in the pool) and as a stranger's (the pool level).
    /// </summary>
    private static IEnumerable<string> NewFamilyReport(List<CompletedRun> ordered, List<DateTimeOffset> cutoffs, TimeSpan step, QueueOptions options)
    {
        const string Stranger = "(no runs)";
        yield return string.Empty;
        yield return "A family with no runs yet (its own runs hidden, same cut-offs): median absolute error of the median estimate from its team's runs in its pool as shares of MaxRuntime, against the pool's; \"—\" where the team has fewer than 3 runs of other families in that pool (the estimate then falls to the pool).";
        yield return string.Empty;
        yield return "| Family | team | with the owner level | pool only | runs |";
        yield return "|---|---|---:|---:|---:|";
        foreach (var family in ForecastTrace.Families)
        {
            var byOwner = new List<double>();
            var byPool = new List<double>();
            var ownerUsed = false;
            foreach (var cutoff in cutoffs)
            {
                var history = new RuntimeHistory(new FixedOptionsMonitor<QueueOptions>(new QueueOptions { Capacity = options.Capacity, ForecastWindow = options.ForecastWindow }));
                foreach (var run in ordered.TakeWhile(r => r.EndedAt < cutoff).Where(r => r.Trace.Family != family))
                {
                    history.Record(run.Job);
                }

                foreach (var run in ordered.Where(r => r.Trace.Family == family && r.EndedAt >= cutoff && r.EndedAt < cutoff + step))
                {
                    var asTeam = history.EstimateFor(run.Job);
                    ownerUsed |= asTeam.Basis.Contains(" by ", StringComparison.Ordinal);
                    byOwner.Add(Relative(asTeam.Quantile(DurationEstimate.Median, TimeSpan.Zero), run.Runtime));
                    byPool.Add(Relative(history.EstimateFor(run.Job with { Owner = Stranger }).Quantile(DurationEstimate.Median, TimeSpan.Zero), run.Runtime));
                }
            }

            yield return Formats.Invariant($"| {family.Name} | {family.Owner} | {(ownerUsed ? Formats.Percent(MedianOf(byOwner)) : "—")} | {Formats.Percent(MedianOf(byPool))} | {byPool.Count:N0} |");
        }
    }

    private static double Relative(TimeSpan estimate, TimeSpan actual) => Math.Abs((estimate - actual).TotalSeconds) / actual.TotalSeconds;

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private sealed record Outcome(double Error, double Baseline, bool BelowEarly);
}
