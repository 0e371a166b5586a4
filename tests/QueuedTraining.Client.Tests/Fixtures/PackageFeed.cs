namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>
/// Packs QueuedTraining.Contracts and QueuedTraining.Client from a copy of their sources (so the repository's own
/// obj folders are never touched) into a local folder feed, under a version no other run uses, so the global
/// packages folder can never hand back a stale package.
/// </summary>
internal sealed class PackageFeed : IDisposable
{
    // Directory.Build.targets packs each package's README.md.
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config"];
    private static readonly string[] PackedProjects = ["QueuedTraining.Contracts", "QueuedTraining.Client"];

    private PackageFeed(string root, string version)
    {
        Root = root;
        Version = version;
    }

    /// <summary>The temporary folder holding the source copy, the feed and anything a test adds.</summary>
    public string Root { get; }

    public string FeedDirectory => Path.Combine(Root, "feed");

    public string Version { get; }

    public static async Task<PackageFeed> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "qt-pack-" + Guid.NewGuid().ToString("N")[..12]);
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8];
        var feed = new PackageFeed(root, version);
        var repository = FindRepository();
        var source = Path.Combine(root, "repo");
        foreach (var file in RootFiles)
        {
            Directory.CreateDirectory(source);
            File.Copy(Path.Combine(repository, file), Path.Combine(source, file));
        }

        foreach (var project in PackedProjects)
        {
            CopyDirectory(Path.Combine(repository, "src", project), Path.Combine(source, "src", project));
        }

        Directory.CreateDirectory(feed.FeedDirectory);
        foreach (var project in PackedProjects)
        {
            var projectFile = Path.Combine("src", project, project + ".csproj");
            await RestoreAsync(source, projectFile, version);
            await DotnetCli.RunCheckedAsync(
                source,
                "pack", projectFile, "--no-restore",
                "-c", "Release", "-o", feed.FeedDirectory, $"-p:Version={version}", "-nodeReuse:false", "--disable-build-servers");
        }

        return feed;
    }

    /// <summary>
    /// Restores apart from pack, once more on failure: NuGet's restore task was seen (once in CI) to fail
    /// without logging a reason, and a second restore of the same project then succeeds.
    /// </summary>
    private static async Task RestoreAsync(string source, string projectFile, string version)
    {
        string[] arguments = ["restore", projectFile, $"-p:Version={version}", "-nodeReuse:false", "--disable-build-servers"];
        var (exitCode, _) = await DotnetCli.RunAsync(source, arguments);
        if (exitCode != 0)
        {
            await DotnetCli.RunCheckedAsync(source, arguments);
        }
    }

    public string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    public void Dispose()
    {
        TryDelete(Root);

        // Restoring the test version put it into the global packages folder; it is of no use to anyone else.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var project in PackedProjects)
        {
            var id = Path.Combine(globalPackages, project.ToLowerInvariant());
            TryDelete(Path.Combine(id, Version));
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any())
            {
                TryDelete(id);
            }
        }
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "QueuedTraining.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No QueuedTraining.sln above {AppContext.BaseDirectory}.");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyDirectory(directory, Path.Combine(to, name));
            }
        }
    }

    private static void TryDelete(string directory)
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
