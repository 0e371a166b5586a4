using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Interop.Tests.Fixtures;
using QueuedTraining.Testing.Processes;

namespace QueuedTraining.Interop.Tests;

/// <summary>
/// boto3, the AWS CLI and the AWS SDK for JavaScript v3 each submit, describe, list and stop a job through the
/// queue's SageMaker-compatible endpoint, changing nothing but the endpoint URL and credentials.
/// </summary>
public sealed class SageMakerClientInteropTests : IAsyncLifetime
{
    private const string InstallJsSdk = "npm ci --prefix tests/QueuedTraining.Interop.Tests/js";
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync() => _queue = await QueueServiceHost.StartAsync(QueueSettings.SimulatedWithAccessKeys());

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    private string Endpoint => _queue.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task Boto3_SubmitDescribeListStop_RoundTrips()
    {
        var name = TrainingJobs.UniqueName("boto3");

        var result = await AwsClientProcess.RunAsync("python3", [Path.Combine(AwsClientProcess.ProjectDirectory, "scripts", "boto3_roundtrip.py"), Endpoint, name]);

        Assert.True(result.ExitCode == 0, result.ToString());
        await AssertStoppedJobOwnedByAliceAsync(name);
    }

    [Fact]
    public async Task AwsCli_SubmitDescribeListStop_RoundTrips()
    {
        var name = TrainingJobs.UniqueName("awscli");
        var job = TrainingJobs.New(name, priority: 5, simulatedSeconds: 600);
        var input = Path.Combine(Path.GetTempPath(), name + ".json");
        await File.WriteAllBytesAsync(input, JsonSerializer.SerializeToUtf8Bytes(job, Contracts.SageMaker.SageMakerJsonContext.Default.CreateTrainingJobRequest));
        try
        {
            using var created = await CliJsonAsync("create-training-job", "--cli-input-json", "file://" + input);
            Assert.EndsWith($":training-job/{name}", created.RootElement.GetProperty("TrainingJobArn").GetString());

            using var described = await CliJsonAsync("describe-training-job", "--training-job-name", name);
            Assert.Equal("InProgress", described.RootElement.GetProperty("TrainingJobStatus").GetString());

            using var listed = await CliJsonAsync("list-training-jobs", "--name-contains", name, "--page-size", "1");
            var summary = Assert.Single(listed.RootElement.GetProperty("TrainingJobSummaries").EnumerateArray());
            Assert.Equal(name, summary.GetProperty("TrainingJobName").GetString());

            var stopped = await CliAsync("stop-training-job", "--training-job-name", name);
            Assert.True(stopped.ExitCode == 0, stopped.ToString());
            await Polling.UntilAsync(async () =>
            {
                using var again = await CliJsonAsync("describe-training-job", "--training-job-name", name);
                return again.RootElement.GetProperty("TrainingJobStatus").GetString() == "Stopped";
            }, "the CLI describing the job as Stopped");

            var missing = await CliAsync("describe-training-job", "--training-job-name", name + "-missing");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("(ResourceNotFound)", missing.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(input);
        }

        await AssertStoppedJobOwnedByAliceAsync(name);
    }

    [Fact]
    public async Task JsSdk_SubmitDescribeListStop_RoundTrips()
    {
        var js = Path.Combine(AwsClientProcess.ProjectDirectory, "js");
        Assert.True(
            Directory.Exists(Path.Combine(js, "node_modules", "@aws-sdk", "client-sagemaker")),
            $"@aws-sdk/client-sagemaker is not installed in {js}. Install it from the repository root with: {InstallJsSdk}");
        var name = TrainingJobs.UniqueName("jssdk");

        var result = await AwsClientProcess.RunAsync("node", [Path.Combine(js, "roundtrip.mjs"), Endpoint, name], js);

        Assert.True(result.ExitCode == 0, result.ToString());
        await AssertStoppedJobOwnedByAliceAsync(name);
    }

    private async Task AssertStoppedJobOwnedByAliceAsync(string name)
    {
        var job = await _queue.GetJobAsync(name);
        Assert.Equal(AccessKeys.Alice, job.Owner);
        Assert.Equal(5, job.Priority);
        Assert.Equal(JobState.Stopped, job.State);
    }

    private Task<ChildProcessResult> CliAsync(params string[] arguments) =>
        AwsClientProcess.RunAsync("aws", ["sagemaker", .. arguments, "--endpoint-url", Endpoint, "--output", "json"]);

    private async Task<JsonDocument> CliJsonAsync(params string[] arguments)
    {
        var result = await CliAsync(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput);
    }
}
