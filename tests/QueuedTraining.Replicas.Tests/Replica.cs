using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
        var monitor = new FixedOptionsMonitor(Options);
        Commands = new JobCommands(Store, sageMaker, monitor, Signal, time, NullLogger<JobCommands>.Instance);
        Scheduler = new QueueScheduler(Store, sageMaker, new PriorityPreemptionPolicy(), monitor, time, NullLogger<QueueScheduler>.Instance);
        Processor = new StateChangeProcessor(Store, Signal, NullLogger<StateChangeProcessor>.Instance);
        var reconciler = new AttemptReconciler(Store, sageMaker, Processor, Signal, monitor, time, NullLogger<AttemptReconciler>.Instance);
        Process = new SchedulerProcess(Store, Scheduler, reconciler, Signal, monitor, time, ProcessLog);
    }

    public string Id { get; }

    public InterceptingJobStore Store { get; }

    public QueueOptions Options { get; }

    public SchedulerSignal Signal { get; } = new();

    public JobCommands Commands { get; }

    public QueueScheduler Scheduler { get; }

    public StateChangeProcessor Processor { get; }

    public SchedulerProcess Process { get; }

    /// <summary>What the scheduler process logged: leadership changes, lost leases, failed passes.</summary>
    public EventCountingLogger<SchedulerProcess> ProcessLog { get; } = new();

    private sealed class FixedOptionsMonitor(QueueOptions value) : IOptionsMonitor<QueueOptions>
    {
        public QueueOptions CurrentValue => value;

        public QueueOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<QueueOptions, string?> listener) => null;
    }
}
