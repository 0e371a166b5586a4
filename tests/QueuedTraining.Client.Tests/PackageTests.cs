using System.IO.Compression;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// The NuGet package as a consumer gets it: packed into a local folder feed, referenced by a new console project
/// that knows nothing else, restored, built and run against a live queue service. Takes a minute or two.
/// </summary>
public sealed class PackageTests
{
    private const string ConsumerProgram = """
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
    public async Task Pack_ConsoleProjectReferencingOnlyThePackage_QueuesJobOnLiveServer()
    {
        using var feed = await PackageFeed.CreateAsync();
        var client = feed.PackagePath("QueuedTraining.Client");
        Assert.True(File.Exists(client), $"{client} was not produced.");
        Assert.True(File.Exists(feed.PackagePath("QueuedTraining.Contracts")));
        using (var package = ZipFile.OpenRead(client))
        {
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains("lib/net10.0/QueuedTraining.Client.dll", entries);
            Assert.Contains("lib/net10.0/QueuedTraining.Client.xml", entries);
        }

        var app = Path.Combine(feed.Root, "consumer");
        Directory.CreateDirectory(app);

        // Stop MSBuild and NuGet from picking up anything above the temporary folder.
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local-feed" value="{feed.FeedDirectory}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local-feed">
                  <package pattern="QueuedTraining.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="QueuedTraining.Client" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ConsumerProgram);

        await DotnetCli.RunCheckedAsync(app, "build", "-c", "Release", "-nodeReuse:false", "--disable-build-servers");
        await using var server = await QueueServer.StartAsync();
        var name = TestRequests.UniqueName("Packaged");

        var output = await DotnetCli.RunCheckedAsync(app, Path.Combine("bin", "Release", "net10.0", "Consumer.dll"), server.BaseAddress.ToString(), name);

        Assert.Contains($"ARN arn:aws:sagemaker:us-east-1:000000000000:training-job/{name.ToLowerInvariant()}", output, StringComparison.Ordinal);
        Assert.Contains("STATUS InProgress", output, StringComparison.Ordinal);
        await using var check = ClientHost.Create(server.BaseAddress);
        var job = await check.Queue.GetJobAsync(name);
        Assert.Equal(42, job.Priority);
        Assert.NotEqual(JobState.Cancelled, job.State);
    }
}
