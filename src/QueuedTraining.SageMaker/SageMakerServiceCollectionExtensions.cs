using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SageMakerTrainingClient"/> as the application's <see cref="ISageMakerTrainingClient"/>.</summary>
public static class SageMakerServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the SageMaker client uses, for adding handlers.</summary>
    public const string HttpClientName = "QueuedTraining.SageMaker";

    /// <summary>
    /// Adds the SageMaker training client: options validated at start-up, a named <see cref="HttpClient"/>
    /// from <see cref="IHttpClientFactory"/> with an infinite timeout (the client's retry pipeline owns
    /// timeouts), and <see cref="ISageMakerTrainingClient"/> unless the application registered its own. When a decorator
    /// (<see cref="SageMakerTrainingClientDecoration"/>, for example the queue's <c>AddQueuedSageMakerTraining</c>) was
    /// registered first, the client becomes its inner client instead, so either order works.
    /// Calling it twice is harmless; each call's <paramref name="configure"/> is applied.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; may be null when configuration binding supplies them.</param>
    /// <returns>The builder of the named HttpClient, to add handlers or change its primary handler.</returns>
    public static IHttpClientBuilder AddSageMakerTrainingClient(this IServiceCollection services, Action<SageMakerClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SageMakerClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SageMakerClientOptions>, SageMakerClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        var decoration = services.LastOrDefault(d => d.ServiceType == typeof(SageMakerTrainingClientDecoration))?.ImplementationInstance
            as SageMakerTrainingClientDecoration;
        if (decoration is null)
        {
            services.TryAddTransient<ISageMakerTrainingClient>(static provider => Create(provider));
        }
        else
        {
            // A decorator (the queue's) was registered first and holds the ISageMakerTrainingClient slot: be its inner client.
            services.TryAddKeyedTransient<ISageMakerTrainingClient>(decoration.InnerServiceKey, static (provider, _) => Create(provider));
        }

        return services.AddHttpClient(HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan);
    }

    private static SageMakerTrainingClient Create(IServiceProvider provider) => new(
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
        provider.GetRequiredService<IOptions<SageMakerClientOptions>>(),
        provider.GetRequiredService<TimeProvider>(),
        provider.GetRequiredService<ILogger<SageMakerTrainingClient>>());
}
