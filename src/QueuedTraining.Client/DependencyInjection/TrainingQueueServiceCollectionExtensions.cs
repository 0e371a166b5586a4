using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Client;
using QueuedTraining.Client.DependencyInjection;
using QueuedTraining.Contracts.SageMaker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the QueuedTraining client: the queue client, the status waiter and the SageMaker decorator.</summary>
public static class TrainingQueueServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the queue client uses.</summary>
    public const string HttpClientName = "QueuedTraining.Client";

    /// <summary>The service key under which the decorated (inner) <see cref="ISageMakerTrainingClient"/> stays resolvable.</summary>
    public const string InnerSageMakerClientKey = "QueuedTraining.Client.Inner";

    /// <summary>
    /// Queues the application's training jobs: adds the queue client (<see cref="AddTrainingQueueClient(IServiceCollection)"/>)
    /// and decorates the application's <see cref="ISageMakerTrainingClient"/> registration with
    /// <see cref="QueuedSageMakerTrainingClient"/>, so <c>CreateTrainingJob</c> waits in the queue and the rest keeps working.
    /// The SageMaker client may be registered before or after it with <c>AddSageMakerTrainingClient</c>; an application's
    /// own client registered with <c>AddSingleton</c> and the like must come first (registered later, it would replace the
    /// decorator), or be registered under <see cref="InnerSageMakerClientKey"/>. Without one the decorator stands alone
    /// and only queued jobs exist for it. Calling it twice decorates once. The options come from
    /// elsewhere (for example <c>services.Configure&lt;TrainingQueueClientOptions&gt;(...)</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddQueuedSageMakerTraining(this IServiceCollection services)
    {
        var builder = services.AddTrainingQueueClient();
        Decorate(services);
        return builder;
    }

    /// <summary>Like <see cref="AddQueuedSageMakerTraining(IServiceCollection)"/>, with <paramref name="configure"/> applied to the options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (at least <see cref="TrainingQueueClientOptions.BaseAddress"/>).</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddQueuedSageMakerTraining(this IServiceCollection services, Action<TrainingQueueClientOptions> configure)
    {
        var builder = services.AddTrainingQueueClient(configure);
        Decorate(services);
        return builder;
    }

    /// <summary>Like <see cref="AddQueuedSageMakerTraining(IServiceCollection)"/>, with options bound from a configuration section (for example <c>QueuedTraining:Client</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddQueuedSageMakerTraining(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddQueuedSageMakerTraining(o => configuration.Bind(o));
    }

    /// <summary>
    /// Adds <see cref="TrainingQueueClient"/> and <see cref="TrainingJobWaiter"/> (unless the application registered its
    /// own), options validated at start-up, and a named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>
    /// with an infinite timeout and a resilience handler that owns every timeout and retry. Calling it twice is
    /// harmless. The options come from elsewhere (for example <c>services.Configure&lt;TrainingQueueClientOptions&gt;(...)</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddTrainingQueueClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<TrainingQueueClientOptions>();

        var httpClient = services.AddHttpClient(HttpClientName);
        if (!services.Any(d => d.ServiceType == typeof(TrainingQueueClientMarker)))
        {
            services.AddSingleton<TrainingQueueClientMarker>();
            services.AddSingleton<IValidateOptions<TrainingQueueClientOptions>, TrainingQueueClientOptionsValidator>();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddTransient(static provider => new TrainingQueueClient(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                provider.GetRequiredService<IOptions<TrainingQueueClientOptions>>(),
                provider.GetRequiredService<ILogger<TrainingQueueClient>>()));
            services.TryAddTransient(static provider => new TrainingJobWaiter(
                provider.GetRequiredService<TrainingQueueClient>(),
                provider.GetRequiredService<TimeProvider>()));
            httpClient.ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);
            httpClient.AddResilienceHandler(TrainingQueueResilience.PipelineName, TrainingQueueResilience.Configure);
        }

        return new TrainingQueueClientBuilder(services, httpClient);
    }

    /// <summary>Like <see cref="AddTrainingQueueClient(IServiceCollection)"/>, with <paramref name="configure"/> applied to the options; each call's is applied.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddTrainingQueueClient(this IServiceCollection services, Action<TrainingQueueClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddTrainingQueueClient();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Like <see cref="AddTrainingQueueClient(IServiceCollection)"/>, with options bound from a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder, for more configuration or HTTP handlers.</returns>
    public static TrainingQueueClientBuilder AddTrainingQueueClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddTrainingQueueClient(o => configuration.Bind(o));
    }

    private static void Decorate(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(QueuedSageMakerTrainingMarker)))
        {
            return;
        }

        services.AddSingleton<QueuedSageMakerTrainingMarker>();

        // Tells a SageMaker client registered later (AddSageMakerTrainingClient) to become the inner client under the key,
        // so registration order does not matter.
        services.AddSingleton(new SageMakerTrainingClientDecoration(InnerSageMakerClientKey));
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(ISageMakerTrainingClient) && !d.IsKeyedService);
        // Without an inner registration the decorator is transient like the queue client it holds.
        var lifetime = ServiceLifetime.Transient;
        if (existing is not null)
        {
            services.Remove(existing);
            services.Add(AsInner(existing));
            lifetime = existing.Lifetime;
        }

        services.Add(new ServiceDescriptor(
            typeof(ISageMakerTrainingClient),
            static provider => new QueuedSageMakerTrainingClient(
                provider.GetKeyedService<ISageMakerTrainingClient>(InnerSageMakerClientKey) ?? new QueueOnlySageMakerTrainingClient(),
                provider.GetRequiredService<TrainingQueueClient>(),
                provider.GetRequiredService<IOptions<TrainingQueueClientOptions>>(),
                provider.GetRequiredService<ILogger<QueuedSageMakerTrainingClient>>()),
            lifetime));
    }

    private static ServiceDescriptor AsInner(ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is { } instance)
        {
            return new ServiceDescriptor(typeof(ISageMakerTrainingClient), InnerSageMakerClientKey, instance);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return new ServiceDescriptor(typeof(ISageMakerTrainingClient), InnerSageMakerClientKey, (provider, _) => factory(provider), descriptor.Lifetime);
        }

        return new ServiceDescriptor(typeof(ISageMakerTrainingClient), InnerSageMakerClientKey, descriptor.ImplementationType!, descriptor.Lifetime);
    }

    private sealed class TrainingQueueClientMarker;

    private sealed class QueuedSageMakerTrainingMarker;
}
