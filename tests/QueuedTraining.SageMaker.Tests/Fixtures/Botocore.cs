using System.Text.Json;
using QueuedTraining.Testing.Processes;

namespace QueuedTraining.SageMaker.Tests.Fixtures;

/// <summary>Runs botocore's SigV4 signer (python3 with botocore must be on PATH) as the reference implementation.</summary>
internal static class Botocore
{
    /// <summary>Signs the request as botocore would and returns its headers after signing.</summary>
    public static async Task<Dictionary<string, string>> SignAsync(
        string method,
        Uri url,
        IReadOnlyDictionary<string, string> headers,
        byte[] body,
        string accessKey,
        string secretKey,
        string? token,
        string region,
        DateTimeOffset timestamp)
    {
        var spec = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["method"] = method,
            ["url"] = url.ToString(),
            ["headers"] = headers,
            ["body"] = Convert.ToBase64String(body),
            ["access_key"] = accessKey,
            ["secret_key"] = secretKey,
            ["token"] = token,
            ["region"] = region,
            ["service"] = "sagemaker",
            ["timestamp"] = timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        });

        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "botocore_sigv4.py");
        var result = await ChildProcess.RunAsync("python3", [script], new ChildProcessOptions
        {
            StandardInput = spec,
            MissingHint = "python3 with botocore is the reference signer of these tests.",
        });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"botocore signing failed (python3 with botocore is required): {result.StandardError}");
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(result.StandardOutput)!;
    }
}
