using Microsoft.Extensions.DependencyInjection;

namespace QueuedTraining.Client;

/// <summary>What <c>AddTrainingQueueClient</c> and <c>AddQueuedSageMakerTraining</c> return, for chained configuration.</summary>
public sealed class TrainingQueueClientBuilder
{
    internal TrainingQueueClientBuilder(IServiceCollection services, IHttpClientBuilder httpClient)
    {
        Services = services;
        HttpClient = httpClient;
    }

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> the queue client uses.</summary>
    public string Name => HttpClient.Name;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The builder of the queue client's <see cref="System.Net.Http.HttpClient"/>. Handlers added here run inside the
    /// resilience handler, once per attempt (for example a handler that injects faults in tests, or a proxy).
    /// </summary>
    public IHttpClientBuilder HttpClient { get; }

    /// <summary>Changes the options after the others that configure them.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public TrainingQueueClientBuilder Configure(Action<TrainingQueueClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
