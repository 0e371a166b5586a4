using System.Text.Json.Nodes;
using QueuedTraining.Testing.Processes;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The AWS CLI against moto_server, as an operator would run it: dummy keys from the environment, no profile or config
/// file, the endpoint URL the only other thing it is told. Missing from PATH, it fails the test and says so.
/// </summary>
internal static class AwsCli
{
    private static readonly ChildProcessOptions Options = ChildProcessOptions.AwsClient("testing", "testing") with
    {
        Timeout = TimeSpan.FromMinutes(2),
        MissingHint = "the AWS CLI ('aws') must be on PATH for the moto deployment tests.",
    };

    public static async Task<JsonNode?> RunAsync(Uri endpoint, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync("aws", arguments.Concat(["--endpoint-url", endpoint.ToString(), "--output", "json"]), Options);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"aws {string.Join(' ', arguments.Take(2))} exited {result.ExitCode}: {result.StandardError}");
        }

        return string.IsNullOrWhiteSpace(result.StandardOutput) ? null : JsonNode.Parse(result.StandardOutput);
    }
}
