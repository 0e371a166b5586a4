using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests;

/// <summary>Calls the queue does not handle reach the inner client with the same request and come back with its answer.</summary>
public sealed class PassThroughTests
{
    [Fact]
    public async Task UpdateTrainingJob_AnyJob_ReachesInnerClientUnchanged()
    {
        await using var server = await QueueServer.StartAsync();
        var inner = new RecordingSageMakerClient();
        await using var client = ClientHost.Create(server.BaseAddress, inner);
        var request = new UpdateTrainingJobRequest { TrainingJobName = "inner-job" };

        var response = await client.SageMaker.UpdateTrainingJobAsync(request);

        Assert.Same(inner.UpdateResponse, response);
        var call = Assert.Single(inner.Calls);
        Assert.Equal("UpdateTrainingJob", call.Operation);
        Assert.Same(request, call.Request);
    }

    [Fact]
    public async Task DescribeTrainingJob_JobUnknownToQueue_ReachesInnerClientUnchanged()
    {
        await using var server = await QueueServer.StartAsync();
        var inner = new RecordingSageMakerClient();
        await using var client = ClientHost.Create(server.BaseAddress, inner);
        var request = new DescribeTrainingJobRequest { TrainingJobName = "inner-job" };

        var response = await client.SageMaker.DescribeTrainingJobAsync(request);

        Assert.Same(inner.DescribeResponse, response);
        Assert.Same(request, Assert.Single(inner.Calls).Request);
    }

    [Fact]
    public async Task StopTrainingJob_JobUnknownToQueue_ReachesInnerClientUnchanged()
    {
        await using var server = await QueueServer.StartAsync();
        var inner = new RecordingSageMakerClient();
        await using var client = ClientHost.Create(server.BaseAddress, inner);
        var request = new StopTrainingJobRequest { TrainingJobName = "inner-job" };

        var response = await client.SageMaker.StopTrainingJobAsync(request);

        Assert.Same(inner.StopResponse, response);
        var call = Assert.Single(inner.Calls);
        Assert.Equal("StopTrainingJob", call.Operation);
        Assert.Same(request, call.Request);
    }

    [Fact]
    public async Task ListTrainingJobs_TokenFromInnerClient_ReachesInnerClientUnchanged()
    {
        await using var server = await QueueServer.StartAsync();
        var inner = new RecordingSageMakerClient();
        await using var client = ClientHost.Create(server.BaseAddress, inner);
        var request = new ListTrainingJobsRequest { NextToken = "token-the-inner-client-issued" };

        var response = await client.SageMaker.ListTrainingJobsAsync(request);

        Assert.Same(inner.ListResponse, response);
        Assert.Same(request, Assert.Single(inner.Calls).Request);
    }

    [Fact]
    public async Task DescribeTrainingJob_NoInnerClientAndJobUnknownToQueue_ThrowsResourceNotFound()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, inner: null);

        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = "nowhere" }));
    }
}
