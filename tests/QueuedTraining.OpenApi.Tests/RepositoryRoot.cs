namespace QueuedTraining.OpenApi.Tests;

/// <summary>The repository this test runs from: where the dotnet local tools manifest is.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No .config/dotnet-tools.json above {AppContext.BaseDirectory}: the Kiota local tool cannot be found.");
    }
}
