using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QueuedTraining.Core.Hosting;
using QueuedTraining.Testing;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Replicas.Tests;

/// <summary>
/// One queue-service replica, assembled from the same Core types the server registers: its own store
/// instance (own connection), commands, state-change processor, reconciler, scheduler and scheduler process
/// with its own replica id. Only the HTTP layer is left out; it adds nothing to coordination.
/// </summary>
internal sealed class Replica
{
    public Replica(string id, IJobStore store, ISageMakerTrainingClient sageMaker, QueueOptions options, TimeProvider time)
    {
        Id = id;
        Store = new InterceptingJobStore(store);
        Options = options;
        Options.ReplicaId = id;
        var services = EngineServices.Create(Store, sageMaker, Options, time, s => s.AddSingleton<ILogger<SchedulerProcess>>(ProcessLog));
        Signal = services.GetRequiredService<SchedulerSignal>();
        Commands = services.GetRequiredService<JobCommands>();
        Scheduler = services.GetRequiredService<QueueScheduler>();
        Processor = services.GetRequiredService<StateChangeProcessor>();
        Process = services.GetServices<IHostedService>().OfType<SchedulerProcess>().Single();
    }

    public string Id { get; }

    public InterceptingJobStore Store { get; }

    public QueueOptions Options { get; }

    public SchedulerSignal Signal { get; }

    public JobCommands Commands { get; }

    public QueueScheduler Scheduler { get; }

    public StateChangeProcessor Processor { get; }

    public SchedulerProcess Process { get; }

    /// <summary>What the scheduler process logged: leadership changes, lost leases, failed passes.</summary>
    public EventCountingLogger<SchedulerProcess> ProcessLog { get; } = new();
}
