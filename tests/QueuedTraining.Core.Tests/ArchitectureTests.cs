using System.Text.RegularExpressions;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Rules about the code's shape that review alone would let drift.</summary>
public sealed partial class ArchitectureTests
{
    private const string CoreNamespace = "QueuedTraining.Core";

    [Fact]
    public void CoreNamespaces_DependOnEachOther_WithoutCycles()
    {
        var graph = CoreNamespaceGraph();
        var cycles = new List<string>();
        foreach (var start in graph.Keys)
        {
            foreach (var next in graph[start])
            {
                if (Reaches(graph, next, start, []))
                {
                    cycles.Add($"{start} -> {next} -> ... -> {start}");
                }
            }
        }

        Assert.Empty(cycles);
    }

    [Fact]
    public void Planning_DependsOnNoStoreNoBackendAndNoScheduler()
    {
        var planning = CoreNamespaceGraph()[$"{CoreNamespace}.Planning"];
        var sources = string.Concat(CoreSources().Where(f => f.Namespace == $"{CoreNamespace}.Planning").Select(f => f.Text));

        Assert.Equal([$"{CoreNamespace}.Jobs"], planning.Order());
        Assert.DoesNotContain("QueuedTraining.Contracts.SageMaker", sources, StringComparison.Ordinal);
        Assert.DoesNotContain("TimeProvider", sources, StringComparison.Ordinal);
        Assert.DoesNotContain("Task", sources, StringComparison.Ordinal);
    }

    [Fact]
    public void LogEventIds_EachPackageUsesItsDocumentedRangeAndNoIdTwice()
    {
        var ranges = new Dictionary<string, (int From, int To)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(JobLifecycleTests.RepositoryFile("docs/log-events.md")))
        {
            if (RangeRow().Match(line) is { Success: true } row)
            {
                ranges[row.Groups["package"].Value] = (int.Parse(row.Groups["from"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row.Groups["to"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var seen = new Dictionary<int, string>();
        var problems = new List<string>();
        foreach (var file in ProductSources(JobLifecycleTests.RepositoryFile("src")))
        {
            var package = Path.GetRelativePath(JobLifecycleTests.RepositoryFile("src"), file).Split(Path.DirectorySeparatorChar)[0];
            foreach (Match id in EventIdUse().Matches(File.ReadAllText(file)))
            {
                var value = int.Parse(id.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!ranges.TryGetValue(package, out var range) || value < range.From || value > range.To)
                {
                    problems.Add($"{package} logs event id {value} outside its documented range");
                }

                if (!seen.TryAdd(value, package))
                {
                    problems.Add($"event id {value} is used twice ({seen[value]}, {package})");
                }
            }
        }

        Assert.NotEmpty(seen);
        Assert.Empty(problems);
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string target, HashSet<string> visited)
    {
        if (from == target)
        {
            return true;
        }

        return visited.Add(from) && graph.TryGetValue(from, out var next) && next.Any(n => Reaches(graph, n, target, visited));
    }

    /// <summary>Each namespace of Core and the other Core namespaces its files name (the root namespace holds options only).</summary>
    private static Dictionary<string, HashSet<string>> CoreNamespaceGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (ns, text) in CoreSources())
        {
            var edges = graph.TryGetValue(ns, out var existing) ? existing : graph[ns] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match reference in CoreReference().Matches(text))
            {
                var target = $"{CoreNamespace}.{reference.Groups["ns"].Value}";
                if (target != ns)
                {
                    edges.Add(target);
                }
            }
        }

        return graph;
    }

    private static IEnumerable<(string Namespace, string Text)> CoreSources() =>
        ProductSources(JobLifecycleTests.RepositoryFile("src/QueuedTraining.Core"))
            .Select(File.ReadAllText)
            .Select(text => (FileNamespace().Match(text).Groups["ns"].Value, text))
            .Where(f => f.Item1.StartsWith(CoreNamespace + ".", StringComparison.Ordinal));

    private static IEnumerable<string> ProductSources(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^namespace (?<ns>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"\bQueuedTraining\.Core\.(?<ns>[A-Z]\w+)\b")]
    private static partial Regex CoreReference();

    [GeneratedRegex(@"EventId = (?<id>\d+)")]
    private static partial Regex EventIdUse();

    [GeneratedRegex(@"^\| (?<package>QueuedTraining\.[\w.]+) \| (?<from>\d+)–(?<to>\d+) \|")]
    private static partial Regex RangeRow();
}
