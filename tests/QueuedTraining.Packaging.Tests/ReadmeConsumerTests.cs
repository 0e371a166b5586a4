using System.Text.RegularExpressions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Packaging.Tests.Fixtures;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Packaging.Tests;

/// <summary>
/// A user follows a package README: a fresh console app adds the packages it names (and AWSSDK.S3, as most
/// data-science tools do), takes its program as written, builds, and runs it against a live queue service with the
/// simulated SageMaker, until the job completes.
/// </summary>
[Collection(PackedFeedGroup.Name)]
public sealed partial class ReadmeConsumerTests(PackedFeed feed)
{
    [Fact]
    public async Task ClientReadme_FreshConsumerBesideAwsSdkS3_QueuesJobAndWaitsUntilCompleted()
    {
        var client = ReadmeCode.Read(Readme("QueuedTraining.Client"));
        var app = await ConsumerApp.FromReadmeAsync(feed, "client-consumer", client, ReadmeCode.Read(Readme("QueuedTraining.Contracts")));
        Assert.Contains("QueuedTraining.SageMaker", client.Packages); // the README's program calls AddSageMakerTrainingClient
        await app.BuildAsync();
        AssertAwsSdkCoreLiftedByS3(app);

        await using var server = await QueueServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["QueuedTraining:Backend"] = "Simulated",
            ["QueuedTraining:Capacity:ml.p5.48xlarge"] = "1",
            ["QueuedTraining:Simulated:DefaultDuration"] = "00:00:02",
        });
        var (exitCode, output) = await app.RunAsync(null, server.BaseUrl.ToString());

        Assert.True(exitCode == 0, $"The client README's program exited with {exitCode}:\n{output}");
        var name = EndedJob().Match(output) is { Success: true } ended ? ended.Groups["name"].Value : throw new Xunit.Sdk.XunitException($"No job ended:\n{output}");
        Assert.Contains($"{name} ended: Completed", output, StringComparison.Ordinal);
        var job = await server.GetJobAsync(name);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(50, job.Priority);
    }

    [Fact]
    public async Task SageMakerReadme_FreshConsumerBesideAwsSdkS3_SignsCallsToQueueUntilCompleted()
    {
        var sageMaker = ReadmeCode.Read(Readme("QueuedTraining.SageMaker"));
        var app = await ConsumerApp.FromReadmeAsync(feed, "sagemaker-consumer", sageMaker, ReadmeCode.Read(Readme("QueuedTraining.Contracts")));
        Assert.DoesNotContain("QueuedTraining.Client", sageMaker.Packages);
        await app.BuildAsync();
        AssertAwsSdkCoreLiftedByS3(app);

        // The queue's SageMaker-compatible endpoint verifies every call's SigV4 signature, made with the newer AWSSDK.Core.
        await using var server = await QueueServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["QueuedTraining:Backend"] = "Simulated",
            ["QueuedTraining:Capacity:ml.m5.xlarge"] = "1",
            ["QueuedTraining:Simulated:DefaultDuration"] = "00:00:02",
            ["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Alice] = AccessKeys.AliceSecret,
        });
        var credentials = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKeys.Alice,
            ["AWS_SECRET_ACCESS_KEY"] = AccessKeys.AliceSecret,
        };
        var (exitCode, output) = await app.RunAsync(credentials, server.BaseUrl.ToString());

        Assert.True(exitCode == 0, $"The SageMaker README's program exited with {exitCode}:\n{output}");
        var name = EndedJob().Match(output) is { Success: true } ended ? ended.Groups["name"].Value : throw new Xunit.Sdk.XunitException($"No job ended:\n{output}");
        Assert.Contains($"{name} ended: Completed", output, StringComparison.Ordinal);
        var job = await server.GetJobAsync(name);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(AccessKeys.Alice, job.Owner);
    }

    [Fact]
    public async Task EngineAndRepositoryReadmes_FreshConsumerBesideAwsSdkS3_CompileEveryBlock()
    {
        string[] engine = ["QueuedTraining.Core", "QueuedTraining.Stores.Sqlite", "QueuedTraining.Stores.DynamoDB", "QueuedTraining.Backends.Simulated"];

        // The repository README's blocks: the two-line switch (with the client packages it names) and the engine in your own host.
        var repository = ReadmeCode.Read(Path.Combine(feed.Repository, "README.md"));
        Assert.NotEmpty(repository.Snippets);
        Assert.Contains("QueuedTraining.Client", repository.Packages);
        var app = await ConsumerApp.SnippetsOnlyAsync(feed, "engine-consumer", [.. engine.Select(id => ReadmeCode.Read(Readme(id))), repository]);

        // Builds only if every package the engine READMEs name restores beside AWSSDK.S3 and each of their blocks compiles.
        await app.BuildAsync();
        AssertAwsSdkCoreLiftedByS3(app);
        foreach (var id in engine)
        {
            Assert.Matches(@"^0\.1\.0-pack\.", app.ResolvedVersion(id));
        }
    }

    [Fact]
    public async Task ClientSideReadmes_DotNet8Consumer_CompileEveryBlock()
    {
        // A .NET 8 launcher swaps its registration too: the client-side packages ship a net8.0 build. This machine runs
        // only .NET 10, so the app is built, not run; the net10.0 consumers above run the same code.
        string[] clientSide = ["QueuedTraining.Client", "QueuedTraining.SageMaker", "QueuedTraining.Contracts"];
        // The client README names both packages a launcher adds; its program and every client-side block compile.
        var app = await ConsumerApp.FromReadmeAsync(
            feed, "net8-consumer", "net8.0", ReadmeCode.Read(Readme("QueuedTraining.Client")), [.. clientSide.Skip(1).Select(id => ReadmeCode.Read(Readme(id)))]);

        await app.BuildAsync();

        foreach (var id in clientSide)
        {
            Assert.Matches(@"^0\.1\.0-pack\.", app.ResolvedVersion(id));
        }
    }

    /// <summary>The scenario of the issue: AWSSDK.S3 brings an AWSSDK.Core newer than the lowest we accept, and restore still succeeds.</summary>
    private static void AssertAwsSdkCoreLiftedByS3(ConsumerApp app)
    {
        Assert.Equal(ConsumerApp.AwsSdkS3Version, app.ResolvedVersion("AWSSDK.S3"));
        var core = Version.Parse(app.ResolvedVersion("AWSSDK.Core"));
        Assert.True(core > new Version(4, 1, 0), $"AWSSDK.Core {core} resolved; AWSSDK.S3 {ConsumerApp.AwsSdkS3Version} should have lifted it above 4.1.0.");
    }

    private string Readme(string package) => Path.Combine(feed.Repository, "src", package, "README.md");

    [GeneratedRegex(@"^(?<name>\S+) ended: ", RegexOptions.Multiline)]
    private static partial Regex EndedJob();
}
