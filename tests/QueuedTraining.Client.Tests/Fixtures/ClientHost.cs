using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>The client side of a test: a service provider with the decorator registered the way an application would.</summary>
internal sealed class ClientHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private ClientHost(ServiceProvider provider, CapturingLoggerProvider logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _provider;

    public ISageMakerTrainingClient SageMaker => _provider.GetRequiredService<ISageMakerTrainingClient>();

    public QueuedSageMakerTrainingClient Decorator => (QueuedSageMakerTrainingClient)SageMaker;

    public TrainingQueueClient Queue => _provider.GetRequiredService<TrainingQueueClient>();

    public TrainingJobWaiter Waiter => _provider.GetRequiredService<TrainingJobWaiter>();

    /// <summary>Registers <paramref name="inner"/> as the application's SageMaker client, then the decorator in front of it.</summary>
    public static ClientHost Create(
        Uri baseAddress,
        ISageMakerTrainingClient? inner = null,
        Action<TrainingQueueClientOptions>? configure = null,
        Func<DelegatingHandler>? faults = null)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        if (inner is not null)
        {
            services.AddSingleton(inner);
        }

        var builder = services.AddQueuedSageMakerTraining(o =>
        {
            o.BaseAddress = baseAddress;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        if (faults is not null)
        {
            builder.HttpClient.AddHttpMessageHandler(faults);
        }

        return new ClientHost(services.BuildServiceProvider(validateScopes: true), logs);
    }

    /// <summary>Queues <paramref name="request"/> through the decorator and waits until its attempt runs (to fill a pool).</summary>
    public async Task StartAndWaitUntilRunningAsync(CreateTrainingJobRequest request)
    {
        await SageMaker.CreateTrainingJobAsync(request);
        await JobPolling.UntilStateAsync(Queue, request.TrainingJobName!, Contracts.Queue.JobState.Running);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
