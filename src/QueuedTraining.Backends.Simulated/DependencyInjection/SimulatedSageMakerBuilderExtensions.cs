using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.SageMaker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SageMaker simulated in process as the queue engine's backend: no AWS account needed.</summary>
public static class SimulatedSageMakerBuilderExtensions
{
    /// <summary>
    /// Starts attempts on a simulated SageMaker and feeds its state changes to the queue, as EventBridge does for the
    /// real one. Its options are validated at start-up.
    /// </summary>
    public static QueuedTrainingBuilder AddSimulatedSageMaker(this QueuedTrainingBuilder builder, Action<SimulatedSageMakerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SimulatedSageMakerOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatedSageMakerOptions>, SimulatedSageMakerOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new SimulatedSageMaker(sp.GetRequiredService<IOptions<SimulatedSageMakerOptions>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<ISageMakerTrainingClient>(sp => sp.GetRequiredService<SimulatedSageMaker>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SimulatedEventPump>());
        return builder;
    }
}
