using System.Globalization;
using System.Text;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Prints the summary table and writes the markdown results file.</summary>
internal static class ResultsReport
{
    private static readonly string[] Headers = ["scenario", "figure", "value", "baseline (same run)", "ratio", "target", "met?"];

    public static string Table(IEnumerable<BenchmarkFigure> figures)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| " + string.Join(" | ", Headers) + " |");
        builder.AppendLine("| " + string.Join(" | ", Headers.Select(_ => "---")) + " |");
        foreach (var f in figures)
        {
            var met = f.Met switch { true => "yes", false => "**no**", null => "—" };
            builder.AppendLine(CultureInfo.InvariantCulture, $"| {f.Scenario} | {f.Figure} | {f.Value} | {f.Baseline} | {f.Ratio} | {f.Target} | {met} |");
        }

        return builder.ToString();
    }

    public static string Markdown(BenchmarkContext context, IReadOnlyList<string> command, IReadOnlyList<(IBenchmarkScenario Scenario, ScenarioResult Result)> results, string loadAtStart, string loadAtEnd)
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"# QueuedTraining benchmark results, {DateTime.UtcNow:yyyy-MM-dd}");
        builder.AppendLine();
        builder.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/QueuedTraining.Benchmarks -- {string.Join(' ', command)}`{(context.Quick ? " (quick mode: shorter runs, fewer samples)" : string.Empty)}");
        builder.AppendLine();
        builder.AppendLine("## Machine");
        builder.AppendLine();
        foreach (var line in MachineDescription.Describe())
        {
            builder.AppendLine(line);
        }

        builder.AppendLine(CultureInfo.InvariantCulture, $"- Load average (`/proc/loadavg`) when the run started: {loadAtStart}; when it ended: {loadAtEnd}");
        builder.AppendLine();
        builder.AppendLine("Every figure is measured beside its baseline in the same run, so ratios hold better than absolute");
        builder.AppendLine("numbers on a busy machine. A load average well above the processor count means other work shared the");
        builder.AppendLine("processors during the run; absolute latencies and rates are then pessimistic and noisy.");
        builder.AppendLine();
        builder.AppendLine("## Summary");
        builder.AppendLine();
        builder.Append(Table(results.SelectMany(r => r.Result.Figures)));
        foreach (var (scenario, result) in results)
        {
            builder.AppendLine();
            builder.AppendLine(CultureInfo.InvariantCulture, $"## {scenario.Name}: {scenario.Description}");
            builder.AppendLine();
            foreach (var line in result.Details)
            {
                builder.AppendLine(line);
            }
        }

        return builder.ToString();
    }
}
