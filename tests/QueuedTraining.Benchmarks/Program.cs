using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Benchmarks.Micro;

// dotnet run -c Release --project tests/QueuedTraining.Benchmarks -- all|<scenario>... [--quick] [--no-write]
//                                                                  -- micro [BenchmarkDotNet arguments]
if (args.Length > 0 && args[0] == "micro")
{
    MicroBenchmarks.Run(args[1..]);
    return 0;
}

var quick = args.Contains("--quick");
var write = !args.Contains("--no-write");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
if (names.Count == 0 || names.Contains("help"))
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/QueuedTraining.Benchmarks -- all|<scenario>... [--quick] [--no-write]");
    Console.WriteLine("       dotnet run -c Release --project tests/QueuedTraining.Benchmarks -- micro [BenchmarkDotNet arguments]");
    foreach (var s in ScenarioCatalog.All)
    {
        Console.WriteLine($"  {s.Name,-12} {s.Description}");
    }

    Console.WriteLine("  micro        BenchmarkDotNet micro-benchmarks of the submit path's pieces");
    return names.Count == 0 ? 1 : 0;
}

var selected = names.Contains("all") ? ScenarioCatalog.All : ScenarioCatalog.All.Where(s => names.Contains(s.Name)).ToList();
var unknown = names.Where(n => n != "all" && ScenarioCatalog.All.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Run with 'help' for the list.");
    return 1;
}

var root = RepositoryPaths.FindRoot();
var context = new BenchmarkContext
{
    Quick = quick,
    RepositoryRoot = root,
    WorkFolder = Directory.CreateTempSubdirectory("qt-bench-").FullName,
};
var loadAtStart = MachineDescription.ReadLoadAverage();
var results = new List<(IBenchmarkScenario, ScenarioResult)>();
try
{
    foreach (var scenario in selected)
    {
        BenchmarkLog.Write($"{scenario.Name}: {scenario.Description}");
        results.Add((scenario, await scenario.RunAsync(context, CancellationToken.None)));
    }
}
finally
{
    Directory.Delete(context.WorkFolder, recursive: true);
}

foreach (var (scenario, result) in results)
{
    Console.WriteLine();
    Console.WriteLine($"## {scenario.Name}");
    result.Details.ToList().ForEach(Console.WriteLine);
}

Console.WriteLine();
Console.Write(ResultsReport.Table(results.SelectMany(r => r.Item2.Figures)));
if (write)
{
    var folder = Directory.CreateDirectory(Path.Combine(root, "docs", "benchmarks")).FullName;
    var path = Path.Combine(folder, $"results-{DateTime.UtcNow:yyyy-MM-dd}{(quick ? "-quick" : string.Empty)}.md");
    await File.WriteAllTextAsync(path, ResultsReport.Markdown(context, args, results, loadAtStart, MachineDescription.ReadLoadAverage()));
    Console.WriteLine($"Wrote {Path.GetRelativePath(root, path)}");
}

return 0;
