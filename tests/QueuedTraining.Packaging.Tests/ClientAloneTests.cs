using QueuedTraining.Packaging.Tests.Fixtures;
using QueuedTraining.Testing.Server;
using Xunit;

namespace QueuedTraining.Packaging.Tests;

/// <summary>
/// A launcher that only talks to the queue references QueuedTraining.Client and nothing else of ours: restore must find
/// the Contracts package it depends on, and the decorator must queue through the live service on its own.
/// </summary>
[Collection(PackedFeedGroup.Name)]
public sealed class ClientAloneTests(PackedFeed feed)
{
    private const string Program = """
        using Microsoft.Extensions.DependencyInjection;
        using QueuedTraining.Client;
        using QueuedTraining.Contracts.SageMaker;

        var services = new ServiceCollection();
        services.AddQueuedSageMakerTraining(o =>
        {
            o.BaseAddress = new Uri(args[0]);
            o.DefaultPriority = 42;
        });
        using var provider = services.BuildServiceProvider();
        var sageMaker = provider.GetRequiredService<ISageMakerTrainingClient>();
        var created = await sageMaker.CreateTrainingJobAsync(new CreateTrainingJobRequest
        {
            TrainingJobName = args[1],
            RoleArn = "arn:aws:iam::000000000000:role/SageMakerTraining",
            AlgorithmSpecification = new AlgorithmSpecification { TrainingImage = "pytorch-training:2.3-gpu-py311", TrainingInputMode = "File" },
            OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://example-bucket/output/" },
            ResourceConfig = new ResourceConfig { InstanceType = "ml.p5.48xlarge", InstanceCount = 1, VolumeSizeInGB = 100 },
            StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 3600 },
            HyperParameters = new() { ["sim_duration_seconds"] = "600" },
        });
        Console.WriteLine("ARN " + created.TrainingJobArn);
        var described = await sageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = args[1] });
        Console.WriteLine("STATUS " + described.TrainingJobStatus);
        """;

    [Fact]
    public async Task ClientPackageAlone_FreshConsoleApp_QueuesJobOnLiveServer()
    {
        var app = await ConsumerApp.WithProgramAsync(feed, "client-alone", ["QueuedTraining.Client"], Program);
        await app.BuildAsync();
        Assert.Matches(@"^0\.1\.0-pack\.", app.ResolvedVersion("QueuedTraining.Contracts"));

        await using var server = await QueueServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["QueuedTraining:Backend"] = "Simulated",
            ["QueuedTraining:Capacity:ml.p5.48xlarge"] = "1",
        });
        var name = $"packaged-{Guid.NewGuid():N}"[..20];
        var (exitCode, output) = await app.RunAsync(null, server.BaseUrl.ToString(), name);

        Assert.True(exitCode == 0, $"The client-alone program exited with {exitCode}:\n{output}");
        Assert.Contains($"ARN arn:aws:sagemaker:us-east-1:000000000000:training-job/{name}", output, StringComparison.Ordinal);
        Assert.Contains("STATUS InProgress", output, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var job = await http.GetStringAsync($"/v1/jobs/{name}");
        Assert.Contains("\"priority\":42", job, StringComparison.Ordinal);
    }
}
