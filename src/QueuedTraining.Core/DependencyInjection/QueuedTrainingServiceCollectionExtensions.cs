using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Core;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Hosting;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;
using QueuedTraining.Core.Teams;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the queue engine: commands, queries, the planner's policy, the scheduler process and state-change handling.</summary>
public static class QueuedTrainingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine. It needs an <see cref="IJobStore"/> and an <c>ISageMakerTrainingClient</c> backend, added through the
    /// returned builder. Options are validated at start-up; registrations already present (a policy, a <see cref="TimeProvider"/>)
    /// win, and calling this twice is harmless.
    /// </summary>
    public static QueuedTrainingBuilder AddQueuedTraining(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<QueueOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SchedulerSignal>();
        services.AddMetrics();
        services.TryAddSingleton<QueueMetrics>();
        services.TryAddSingleton<ISchedulingPolicy, PriorityPreemptionPolicy>();
        services.TryAddSingleton<AttemptStopper>();
        services.TryAddSingleton(sp => new JobCommands(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<AttemptStopper>(),
            sp.GetRequiredService<IOptionsMonitor<QueueOptions>>(),
            sp.GetRequiredService<SchedulerSignal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<QueueMetrics>(),
            sp.GetRequiredService<ILogger<JobCommands>>()));
        services.TryAddSingleton(sp => new RuntimeHistory(sp.GetRequiredService<IOptionsMonitor<QueueOptions>>()));
        services.TryAddSingleton(sp => new JobQueries(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<IOptionsMonitor<QueueOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISchedulingPolicy>(),
            sp.GetRequiredService<RuntimeHistory>(),
            sp.GetRequiredService<SchedulerSignal>(),
            sp.GetRequiredService<TeamUsageLedger>(),
            sp.GetRequiredService<CheckpointCache>()));
        services.TryAddSingleton<ICheckpointReader, NoCheckpointReader>();
        services.TryAddSingleton<CheckpointCache>();
        services.TryAddSingleton<QueueScheduler>();
        services.TryAddSingleton<TeamUsageLedger>();
        services.TryAddSingleton(sp => new StateChangeProcessor(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<SchedulerSignal>(),
            sp.GetRequiredService<QueueMetrics>(),
            sp.GetRequiredService<ILogger<StateChangeProcessor>>(),
            sp.GetRequiredService<RuntimeHistory>()));
        services.TryAddSingleton<AttemptReconciler>();
        services.TryAddSingleton<FinishedJobSweeper>();
        services.TryAddSingleton<SchedulerStatus>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchedulerProcess>());
        return new QueuedTrainingBuilder(services, options);
    }

    /// <summary>Adds the engine and configures its options.</summary>
    public static QueuedTrainingBuilder AddQueuedTraining(this IServiceCollection services, Action<QueueOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddQueuedTraining();
        builder.Options.Configure(configure);
        return builder;
    }
}
