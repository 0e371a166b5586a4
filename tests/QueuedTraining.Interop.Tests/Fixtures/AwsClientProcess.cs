using System.Diagnostics;
using System.Reflection;

namespace QueuedTraining.Interop.Tests.Fixtures;

/// <summary>
/// Runs an AWS client (python3 + boto3, the aws CLI, node + the JS SDK) as a user would, with nothing but
/// credentials from the environment: no profile, no config file, no instance metadata. The endpoint URL is
/// the only other thing each client is told.
/// </summary>
public static class AwsClientProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>This project's source folder (scripts and js/ live there).</summary>
    public static string ProjectDirectory { get; } = typeof(AwsClientProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InteropProjectDirectory").Value!;

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? ProjectDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = AccessKeys.Alice;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = AccessKeys.AliceSecret;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        start.Environment["AWS_PAGER"] = string.Empty;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{fileName}' could not be started; it must be on PATH for the interop tests.", ex);
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {Timeout}.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
