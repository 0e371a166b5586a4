using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Tests.Fixtures;
using QueuedTraining.Testing;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>The client against a real moto_server speaking SageMaker's JSON 1.1 protocol.</summary>
public sealed class MotoServerTests : IClassFixture<MotoServer>, IDisposable
{
    private readonly HttpClient _httpClient = TestClients.CreateHttpClient();
    private readonly SageMakerTrainingClient _client;

    public MotoServerTests(MotoServer moto)
    {
        _client = TestClients.Create(moto.ServiceUrl, _httpClient, configure: o => o.AccessKey = "testing");
    }

    public void Dispose() => _httpClient.Dispose();

    [Fact]
    public async Task CreateTrainingJobAsync_ValidRequest_DescribeShowsJobWithUnmodelledMember()
    {
        var name = UniqueName("create");
        var request = NewJob(name);
        // EnableNetworkIsolation has no property in the wire model; it must still reach SageMaker.
        request.AdditionalMembers = new() { ["EnableNetworkIsolation"] = JsonSerializer.SerializeToElement(true) };

        var created = await _client.CreateTrainingJobAsync(request);
        var described = await _client.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name });

        Assert.EndsWith($":training-job/{name}", created.TrainingJobArn);
        Assert.Equal(name, described.TrainingJobName);
        Assert.Equal(created.TrainingJobArn, described.TrainingJobArn);
        Assert.Equal(TrainingJobStatus.Completed, described.TrainingJobStatus);
        Assert.Equal("ml.m5.large", described.ResourceConfig?.InstanceType);
        Assert.NotNull(described.CreationTime);
        Assert.True(described.AdditionalMembers!["EnableNetworkIsolation"].GetBoolean());
    }

    [Fact]
    public async Task ListTrainingJobsAsync_MoreJobsThanMaxResults_ReturnsOnePageWithNextToken()
    {
        var prefix = UniqueName("page");
        for (var i = 0; i < 4; i++)
        {
            await _client.CreateTrainingJobAsync(NewJob($"{prefix}-{i}"));
        }

        // No NameContains: moto 5.2.1 filters after cutting the page, so filtered pages can come back short or empty.
        var first = await _client.ListTrainingJobsAsync(new ListTrainingJobsRequest { MaxResults = 3 });

        Assert.Equal(3, first.TrainingJobSummaries.Count);
        Assert.False(string.IsNullOrEmpty(first.NextToken));
    }

    [Fact]
    public async Task ListAllTrainingJobsAsync_MoreJobsThanMaxResults_FollowsNextTokenThroughEveryPage()
    {
        var prefix = UniqueName("all");
        var names = Enumerable.Range(0, 7).Select(i => $"{prefix}-{i}").ToList();
        foreach (var name in names)
        {
            await _client.CreateTrainingJobAsync(NewJob(name));
        }

        // Unfiltered (moto filters after paginating); other tests' jobs may be listed too.
        var request = new ListTrainingJobsRequest { MaxResults = 3 };
        var pages = new List<ListTrainingJobsResponse>();
        await foreach (var page in _client.ListAllTrainingJobsAsync(request))
        {
            pages.Add(page);
        }

        var listed = pages.SelectMany(p => p.TrainingJobSummaries).Select(s => s.TrainingJobName!).ToList();
        Assert.True(pages.Count >= 3, $"7 jobs in pages of 3 need at least 3 pages, got {pages.Count}.");
        Assert.All(pages[..^1], p => Assert.Equal(3, p.TrainingJobSummaries.Count));
        Assert.All(pages[..^1], p => Assert.False(string.IsNullOrEmpty(p.NextToken)));
        Assert.Null(pages[^1].NextToken);
        Assert.Subset(listed.ToHashSet(), names.ToHashSet());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.All(pages.SelectMany(p => p.TrainingJobSummaries), s => Assert.Equal(TrainingJobStatus.Completed, s.TrainingJobStatus));
        Assert.Null(request.NextToken);
    }

    [Fact]
    public async Task DescribeTrainingJobAsync_UnknownJob_ThrowsResourceNotFound()
    {
        var name = UniqueName("missing");

        // moto 5.2.1 (like SageMaker itself for this call) answers ValidationException "Could not find training job";
        // the client reports it as ResourceNotFound so that reconciliation can tell a lost attempt from a bad request.
        var error = await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => _client.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name }));

        Assert.Equal(SageMakerErrorCodes.ResourceNotFound, error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    private static string UniqueName(string purpose) => $"qt-{purpose}-{Guid.NewGuid().ToString("N")[..12]}";

    private static CreateTrainingJobRequest NewJob(string name) => new()
    {
        TrainingJobName = name,
        RoleArn = "arn:aws:iam::123456789012:role/SageMakerRole",
        AlgorithmSpecification = new AlgorithmSpecification { TrainingImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1", TrainingInputMode = "File" },
        OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://bucket/output" },
        ResourceConfig = new ResourceConfig { InstanceType = "ml.m5.large", InstanceCount = 1, VolumeSizeInGB = 10 },
        StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 3600 },
        Tags = [new Tag { Key = "queuedtraining:priority", Value = "5" }],
    };
}
