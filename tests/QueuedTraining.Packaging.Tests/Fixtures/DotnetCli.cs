using QueuedTraining.Testing.Processes;

namespace QueuedTraining.Packaging.Tests.Fixtures;

/// <summary>Runs the dotnet CLI (or a built app through it) as a child process with a bound on time, no build servers left behind, and its output kept.</summary>
internal static class DotnetCli
{
    private static readonly string Host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var options = ChildProcessOptions.DotnetCli(workingDirectory).WithEnvironment(environment ?? new Dictionary<string, string>()) with
        {
            Timeout = TimeSpan.FromMinutes(10),
        };
        var result = await ChildProcess.RunAsync(Host, arguments, options);
        return (result.ExitCode, result.Output);
    }

    public static async Task<string> RunCheckedAsync(string workingDirectory, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(workingDirectory, null, arguments);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }
}
