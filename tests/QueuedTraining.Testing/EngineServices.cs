using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Testing;

/// <summary>
/// The engine as the server registers it (<c>AddQueuedTraining</c>), over a store and a backend a test already holds.
/// <paramref name="options"/> is served as it is, so a test that changes it changes the running engine.
/// </summary>
public static class EngineServices
{
    public static ServiceProvider Create(IJobStore store, ISageMakerTrainingClient backend, QueueOptions options, TimeProvider time, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddQueuedTraining();
        services.AddSingleton<IOptionsMonitor<QueueOptions>>(new FixedOptionsMonitor<QueueOptions>(options));
        services.AddSingleton<IOptions<QueueOptions>>(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(store);
        services.AddSingleton(backend);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
