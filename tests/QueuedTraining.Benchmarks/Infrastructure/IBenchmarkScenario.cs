namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// One benchmark scenario: it measures its figures and the baseline of each in the same run, so that
/// the ratio survives a noisy machine. Add a scenario by writing one class and listing it in
/// <see cref="ScenarioCatalog"/>.
/// </summary>
internal interface IBenchmarkScenario
{
    /// <summary>The name used on the command line (for example <c>submit</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what is measured and against what.</summary>
    string Description { get; }

    Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario found: summary rows plus free-form details for the results file.</summary>
internal sealed record ScenarioResult(IReadOnlyList<BenchmarkFigure> Figures, IReadOnlyList<string> Details);

/// <summary>Settings and places shared by every scenario of a run.</summary>
internal sealed class BenchmarkContext
{
    public required bool Quick { get; init; }

    /// <summary>The repository root (the folder holding <c>QueuedTraining.sln</c>).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>A scratch folder for databases, deleted after the run.</summary>
    public required string WorkFolder { get; init; }

    /// <summary>A fresh, empty folder under <see cref="WorkFolder"/>.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(WorkFolder, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
}

/// <summary>Progress lines on standard error, so standard output stays the summary table.</summary>
internal static class BenchmarkLog
{
    public static void Write(string message) =>
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss}] {message}"));
}
