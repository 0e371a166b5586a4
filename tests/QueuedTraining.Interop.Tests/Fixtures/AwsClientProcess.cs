using System.Reflection;
using QueuedTraining.Testing.Processes;

namespace QueuedTraining.Interop.Tests.Fixtures;

/// <summary>
/// Runs an AWS client (python3 + boto3, the aws CLI, node + the JS SDK) as a user would, with nothing but Alice's
/// credentials from the environment. The endpoint URL is the only other thing each client is told.
/// </summary>
public static class AwsClientProcess
{
    /// <summary>This project's source folder (scripts and js/ live there).</summary>
    public static string ProjectDirectory { get; } = typeof(AwsClientProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InteropProjectDirectory").Value!;

    public static Task<ChildProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null) =>
        ChildProcess.RunAsync(fileName, arguments, ChildProcessOptions.AwsClient(AccessKeys.Alice, AccessKeys.AliceSecret) with
        {
            WorkingDirectory = workingDirectory ?? ProjectDirectory,
            MissingHint = "it must be on PATH for the interop tests.",
        });
}
