namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Finds the repository from the benchmark's own output folder.</summary>
internal static class RepositoryPaths
{
    public static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "QueuedTraining.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from a build inside the repository (no QueuedTraining.sln above " + AppContext.BaseDirectory + ").");
    }
}
