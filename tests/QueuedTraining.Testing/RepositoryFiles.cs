namespace QueuedTraining.Testing;

/// <summary>Finds files of this repository from a test's output folder, for tests that check docs against code.</summary>
public static class RepositoryFiles
{
    /// <summary>The folder holding <c>QueuedTraining.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relative"/> under the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "QueuedTraining.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No QueuedTraining.sln above {AppContext.BaseDirectory}.");
    }
}
