using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>The DI registration.</summary>
public sealed class SageMakerServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSageMakerTrainingClient_CalledTwice_ResolvesOneClientWithInfiniteHttpTimeout()
    {
        var services = new ServiceCollection();
        services.AddSageMakerTrainingClient(o => o.Region = "us-east-1");
        services.AddSageMakerTrainingClient();
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ISageMakerTrainingClient));
        Assert.IsType<SageMakerTrainingClient>(provider.GetRequiredService<ISageMakerTrainingClient>());
        var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SageMakerServiceCollectionExtensions.HttpClientName);
        Assert.Equal(Timeout.InfiniteTimeSpan, httpClient.Timeout);
    }

    [Fact]
    public void AddSageMakerTrainingClient_ApplicationRegisteredItsOwn_KeepsApplicationClient()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISageMakerTrainingClient, ApplicationClient>();
        services.AddSageMakerTrainingClient(o => o.Region = "us-east-1");
        using var provider = services.BuildServiceProvider();

        Assert.IsType<ApplicationClient>(provider.GetRequiredService<ISageMakerTrainingClient>());
    }

    [Fact]
    public void AddSageMakerTrainingClient_InvalidOptions_FailsAtStartupListingEveryError()
    {
        var services = new ServiceCollection();
        services.AddSageMakerTrainingClient(o =>
        {
            o.Region = "us-east-1";
            o.AccessKey = "AKIDONLY";
            o.MaxRetryAttempts = 99;
            o.ServiceUrl = new Uri("ftp://example.invalid/path");
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(3, error.Failures.Count());
    }

    private sealed class ApplicationClient : ISageMakerTrainingClient
    {
        public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
