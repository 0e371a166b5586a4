using System.Globalization;

namespace QueuedTraining.Packaging.Tests.Fixtures;

/// <summary>
/// Every package of the solution, packed once per test run the way README.md says
/// (<c>dotnet pack QueuedTraining.sln -c Release -o …</c>) from a copy of the repository, so the repository's own
/// bin and obj folders are never touched, under a version no other run uses, so the global packages folder can
/// never hand back a stale package.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    // Build output, dependencies and results: nothing the pack command needs from the working tree.
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", ".vs", "bin", "obj", "node_modules", ".artifacts", "TestResults", "BenchmarkDotNet.Artifacts",
    };

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "qt-packaging-" + Guid.NewGuid().ToString("N")[..12]);

    public string Repository { get; } = QueuedTraining.Testing.RepositoryFiles.Root;

    public string FeedDirectory => Path.Combine(Root, "feed");

    public string Version { get; } = "0.1.0-pack." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8];

    /// <summary>What the pack command printed.</summary>
    public string PackOutput { get; private set; } = string.Empty;

    /// <summary>The ids of the packages the source tree declares: every project under src/ not marked IsPackable=false.</summary>
    public IReadOnlyList<string> ExpectedPackageIds { get; } = PackableProjects(QueuedTraining.Testing.RepositoryFiles.Root);

    public string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        var source = Path.Combine(Root, "repo");
        CopyDirectory(Repository, source);
        Directory.CreateDirectory(FeedDirectory);

        // The command from README.md. Analyzers are off: they change nothing in a package, and CI's build runs them.
        PackOutput = await DotnetCli.RunCheckedAsync(
            source,
            "pack", "QueuedTraining.sln", "-c", "Release", "-o", FeedDirectory,
            $"-p:Version={Version}", "-p:RunAnalyzers=false", "-nodeReuse:false", "--disable-build-servers");
    }

    public Task DisposeAsync()
    {
        TryDelete(Root);

        // Restoring the test version put it into the global packages folder; it is of no use to anyone else.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in ExpectedPackageIds)
        {
            var folder = Path.Combine(globalPackages, id.ToLowerInvariant());
            TryDelete(Path.Combine(folder, Version));
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                TryDelete(folder);
            }
        }

        return Task.CompletedTask;
    }

    private static List<string> PackableProjects(string repository) =>
        Directory.EnumerateFiles(Path.Combine(repository, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !File.ReadAllText(p).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from).Where(f => Path.GetFileName(f) != ".git"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (!SkippedDirectories.Contains(name))
            {
                CopyDirectory(directory, Path.Combine(to, name));
            }
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder harms nothing.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Every test class that needs the packages shares one <see cref="PackedFeed"/>: the solution is packed once per run.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedGroup : ICollectionFixture<PackedFeed>
{
    public const string Name = "Packed feed";
}
