using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests;

/// <summary>The one-call registration: decoration of the application's SageMaker client, TryAdd and start-up validation.</summary>
public sealed class TrainingQueueServiceCollectionExtensionsTests
{
    private static readonly Uri Address = new("http://127.0.0.1:5080");

    [Fact]
    public void AddQueuedSageMakerTraining_ApplicationRegisteredSageMakerClient_DecoratesItAndKeepsItAsInner()
    {
        var inner = new RecordingSageMakerClient();
        var services = new ServiceCollection();
        services.AddSingleton<ISageMakerTrainingClient>(inner);

        services.AddQueuedSageMakerTraining(o => o.BaseAddress = Address);

        using var provider = services.BuildServiceProvider();
        Assert.IsType<QueuedSageMakerTrainingClient>(provider.GetRequiredService<ISageMakerTrainingClient>());
        Assert.Same(inner, provider.GetRequiredKeyedService<ISageMakerTrainingClient>(TrainingQueueServiceCollectionExtensions.InnerSageMakerClientKey));
    }

    [Fact]
    public void AddQueuedSageMakerTraining_CalledTwice_DecoratesOnceAndAppliesBothConfigurations()
    {
        var inner = new RecordingSageMakerClient();
        var services = new ServiceCollection();
        services.AddSingleton<ISageMakerTrainingClient>(inner);

        services.AddQueuedSageMakerTraining(o => o.BaseAddress = Address);
        services.AddQueuedSageMakerTraining(o => o.DefaultPriority = 7);

        using var provider = services.BuildServiceProvider();
        Assert.Single(services, d => d.ServiceType == typeof(ISageMakerTrainingClient) && !d.IsKeyedService);
        Assert.Same(inner, provider.GetRequiredKeyedService<ISageMakerTrainingClient>(TrainingQueueServiceCollectionExtensions.InnerSageMakerClientKey));
        var options = provider.GetRequiredService<IOptions<TrainingQueueClientOptions>>().Value;
        Assert.Equal(Address, options.BaseAddress);
        Assert.Equal(7, options.DefaultPriority);
    }

    [Fact]
    public void AddTrainingQueueClient_ApplicationRegisteredItsOwnTimeProvider_OwnRegistrationWins()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);

        services.AddTrainingQueueClient(o => o.BaseAddress = Address);

        using var provider = services.BuildServiceProvider();
        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(provider.GetRequiredService<TrainingJobWaiter>());
    }

    [Fact]
    public void AddQueuedSageMakerTraining_ConfigurationSection_BindsOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QueuedTraining:Client:BaseAddress"] = "http://127.0.0.1:5080/",
            ["QueuedTraining:Client:ApiKey"] = "key",
            ["QueuedTraining:Client:PriorityTagKey"] = "queue-priority",
            ["QueuedTraining:Client:DefaultPriority"] = "2",
            ["QueuedTraining:Client:Region"] = "eu-west-1",
            ["QueuedTraining:Client:AccountId"] = "123456789012",
            ["QueuedTraining:Client:TotalTimeout"] = "00:05:00",
        }).Build();
        var services = new ServiceCollection();

        services.AddQueuedSageMakerTraining(configuration.GetSection(TrainingQueueClientOptions.SectionName));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<TrainingQueueClientOptions>>().Value;
        Assert.Equal("queue-priority", options.PriorityTagKey);
        Assert.Equal(2, options.DefaultPriority);
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal("123456789012", options.AccountId);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TotalTimeout);
        Assert.Equal("key", options.ApiKey);
    }

    [Fact]
    public async Task AddQueuedSageMakerTraining_InvalidOptions_FailsAtStartUpListingEveryError()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddQueuedSageMakerTraining(o =>
        {
            o.BaseAddress = null;
            o.AccountId = "not-an-account";
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("BaseAddress", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("AccountId", StringComparison.Ordinal));
    }

    [Fact]
    public void TrainingQueueClient_InvalidOptionsBuiltByHand_ThrowsOptionsValidation()
    {
        using var http = new HttpClient();

        Assert.Throws<OptionsValidationException>(() => new TrainingQueueClient(
            http,
            Options.Create(new TrainingQueueClientOptions { BaseAddress = new Uri("ftp://example/") }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TrainingQueueClient>.Instance));
    }
}
