using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using QueuedTraining.Testing.Processes;
using Xunit.Abstractions;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The service as an artifact: <c>dotnet publish</c> of QueuedTraining.Server as a self-contained folder, started as its
/// own executable with the README's configuration, answering the README's calls. The container image is built from the
/// same publish (docs/deploy.md) and cannot be built here: no base image can be pulled.
/// </summary>
public sealed partial class PublishedServiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(6);

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [Fact]
    public async Task Publish_SelfContainedServer_StartsAndRunsAJobToCompletion()
    {
        var work = Directory.CreateTempSubdirectory("qt-publish-").FullName;
        var folder = Path.Combine(work, "out");
        try
        {
            // Its own artifacts path and lock file path: the repository's obj/ and packages.lock.json stay untouched.
            // Analyzers are off: the solution's own build enforces them, and here they only double the compile time.
            await RunAsync("dotnet", [
                "publish", Path.Combine(QueuedTraining.Testing.RepositoryFiles.Root, "src", "QueuedTraining.Server"),
                "-c", "Release", "-r", "linux-x64", "--self-contained",
                "--artifacts-path", Path.Combine(work, "artifacts"), $"-p:NuGetLockFilePath={Path.Combine(work, "packages.lock.json")}", "-p:RunAnalyzers=false",
                "-o", folder,
            ]);
            var executable = Path.Combine(folder, "QueuedTraining.Server");
            Assert.True(File.Exists(executable), "the publish has no native executable");
            Assert.True(File.Exists(Path.Combine(folder, "libcoreclr.so")), "the publish does not carry its runtime (not self-contained)");

            using var service = Start(executable, work);
            try
            {
                await UseAsync(service);
            }
            finally
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task UseAsync(Process service)
    {
        var baseUrl = await WaitForListeningAsync(service);
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

        using (var health = await http.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        // The README's submission, with a short simulated training time.
        using var content = new StringContent("""
            {"TrainingJobName": "job1", "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
             "AlgorithmSpecification": {"TrainingImage": "pytorch-training:2.3-gpu-py311", "TrainingInputMode": "File"},
             "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output/"},
             "ResourceConfig": {"InstanceType": "ml.p5.48xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
             "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
             "HyperParameters": {"sim_duration_seconds": "1"},
             "Tags": [{"Key": "priority", "Value": "100"}]}
            """, Encoding.UTF8, "application/json");
        using (var submitted = await http.PostAsync("v1/jobs", content))
        {
            Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, $"{(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}");
        }

        string? state = null;
        var clock = Stopwatch.StartNew();
        while (state != "completed" && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            var job = await http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("v1/jobs/job1");
            state = job?["state"]?.ToString().ToLowerInvariant();
        }

        Assert.Equal("completed", state);
    }

    private static Process Start(string executable, string workingDirectory)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--urls", "http://127.0.0.1:0", "--QueuedTraining:Sqlite:Path", Path.Combine(workingDirectory, "queue.db") },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Self-contained: it must not need the machine's dotnet.
        start.Environment.Remove("DOTNET_ROOT");
        start.Environment["PATH"] = "/usr/local/bin:/bin";
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
    }

    private async Task<Uri> WaitForListeningAsync(Process service)
    {
        var log = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var errors = service.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            while (await service.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                log.AppendLine(line);
                if (ListeningOn().Match(line) is { Success: true } match)
                {
                    // Keep draining so the service never blocks on a full pipe.
                    _ = service.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new Uri(match.Groups["url"].Value + "/");
                }
            }
        }
        finally
        {
            output.WriteLine(log.ToString());
        }

        throw new InvalidOperationException($"The published service exited ({(service.HasExited ? service.ExitCode : -1)}) without listening: {await errors}");
    }

    private async Task RunAsync(string fileName, string[] arguments)
    {
        var result = await ChildProcess.RunAsync(fileName, arguments, new ChildProcessOptions { Timeout = PublishTimeout });
        output.WriteLine(result.StandardOutput);
        Assert.True(result.Succeeded, $"{fileName} {arguments[0]} exited {result.ExitCode}: {result.Output}");
    }
}
