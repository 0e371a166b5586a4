using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// The README's two registration lines (the SageMaker client, then the decorator) against the README's own server, the
/// queue service with its simulated backend, and the same lines in the other order.
/// </summary>
public sealed class ReadmeRegistrationTests
{
    [Fact]
    public async Task DescribeTrainingJob_ReadmeLinesAgainstSimulatedBackend_AnswersRunningJobFromQueue()
    {
        await using var server = await QueueServer.StartAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddSageMakerTrainingClient(o => o.Region = "us-east-1");
        services.AddQueuedSageMakerTraining(o => o.BaseAddress = server.BaseAddress);
        await using var provider = services.BuildServiceProvider();
        var sageMaker = provider.GetRequiredService<ISageMakerTrainingClient>();
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Readme"));
        await sageMaker.CreateTrainingJobAsync(request);
        var job = await JobPolling.UntilStateAsync(provider.GetRequiredService<TrainingQueueClient>(), request.TrainingJobName!, JobState.Running);

        var description = await sageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = request.TrainingJobName });

        Assert.Equal(QueueBackends.Simulated, job.Backend);
        Assert.Equal(request.TrainingJobName, description.TrainingJobName);
        Assert.Equal(TrainingJobStatus.InProgress, description.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Training, description.SecondaryStatus);
        Assert.Equal(request.HyperParameters, description.HyperParameters);
    }

    [Fact]
    public void AddQueuedSageMakerTraining_BeforeAddSageMakerTrainingClient_DecoratesTheSageMakerClient()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddQueuedSageMakerTraining(o => o.BaseAddress = new Uri("http://127.0.0.1:5080"));
        services.AddSageMakerTrainingClient(o => o.Region = "us-east-1");

        using var provider = services.BuildServiceProvider();

        Assert.IsType<QueuedSageMakerTrainingClient>(provider.GetRequiredService<ISageMakerTrainingClient>());
        Assert.IsType<SageMakerTrainingClient>(
            provider.GetRequiredKeyedService<ISageMakerTrainingClient>(TrainingQueueServiceCollectionExtensions.InnerSageMakerClientKey));
        Assert.Single(services, d => d.ServiceType == typeof(ISageMakerTrainingClient) && !d.IsKeyedService);
    }

    [Fact]
    public async Task DescribeTrainingJob_NoSageMakerClientBehindDecorator_SaysHowToRegisterOne()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);

        var error = await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = "not-queued" }));

        Assert.Contains("AddSageMakerTrainingClient", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TrainingQueueServiceCollectionExtensions.InnerSageMakerClientKey), error.Message, StringComparison.Ordinal);
    }
}
