using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Teams;
using QueuedTraining.Stores.Sqlite;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// The real scheduler, commands and state-change processing over a real SQLite file (WAL, fsynced
/// commits) and the simulated SageMaker, on a fake clock that the benchmark moves.
/// </summary>
internal sealed class SchedulerRig : IAsyncDisposable
{
    // The default meter factory: the engine's instruments exist, and nothing listens unless a benchmark adds a listener.
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <summary>A rig with <paramref name="policy"/> (today's default when null) and <paramref name="checkpoints"/> (none when null).</summary>
    public SchedulerRig(string folder, Dictionary<string, int> capacity, TimeSpan stopGracePeriod, ISchedulingPolicy? policy = null, Func<SchedulerRig, ICheckpointReader>? checkpoints = null)
    {
        Options = new QueueOptions { Capacity = capacity };
        var monitor = new FixedOptionsMonitor<QueueOptions>(Options);
        DatabasePath = Path.Combine(folder, "jobs.db");
        Store = new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(new SqliteJobStoreOptions { Path = DatabasePath }));
        Simulated = new SimulatedSageMaker(
            Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromHours(10), StopGracePeriod = stopGracePeriod }),
            Time);
        var metrics = new QueueMetrics(_meters.GetRequiredService<IMeterFactory>());
        var stopper = new AttemptStopper(Simulated, metrics, NullLogger<AttemptStopper>.Instance);
        Commands = new JobCommands(Store, stopper, monitor, Signal, Time, metrics, NullLogger<JobCommands>.Instance);
        StartClock = new StartDecisionClock(Store);
        Scheduler = new QueueScheduler(
            StartClock,
            Simulated,
            policy ?? new PriorityPreemptionPolicy(),
            stopper,
            monitor,
            Time,
            metrics,
            new CheckpointCache(checkpoints?.Invoke(this) ?? new NoCheckpointReader(), monitor, Time, NullLogger<CheckpointCache>.Instance),
            new TeamUsageLedger(),
            NullLogger<QueueScheduler>.Instance);
        Processor = new StateChangeProcessor(Store, Signal, metrics, NullLogger<StateChangeProcessor>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(BenchmarkJobs.Epoch);

    public QueueOptions Options { get; }

    public string DatabasePath { get; }

    public SqliteJobStore Store { get; }

    /// <summary>The store as the scheduler sees it: timestamps each committed start decision.</summary>
    public StartDecisionClock StartClock { get; }

    public SimulatedSageMaker Simulated { get; }

    public SchedulerSignal Signal { get; } = new();

    /// <summary>Jobs that reached a final state through delivered events.</summary>
    public int FinishedJobs { get; private set; }

    public JobCommands Commands { get; }

    public QueueScheduler Scheduler { get; }

    public StateChangeProcessor Processor { get; }

    /// <summary>Hands every event the simulated SageMaker has published to the processor, as the event pump does.</summary>
    public async Task<int> DeliverEventsAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (Simulated.StateChanges.TryRead(out var change))
        {
            if (await Processor.HandleAsync(change, cancellationToken) is { } state && state.IsTerminal())
            {
                FinishedJobs++;
            }

            delivered++;
        }

        return delivered;
    }

    /// <summary>Delivers events and runs passes until nothing moves, as the scheduler process would after wake-ups.</summary>
    public async Task<(SchedulingPassResult Result, int Passes)> SettleAsync(CancellationToken cancellationToken)
    {
        var total = SchedulingPassResult.Idle;
        var passes = 0;
        for (var round = 1; round <= 100; round++)
        {
            var delivered = await DeliverEventsAsync(cancellationToken);

            // Like the scheduler process: pass over the pools that submissions and events signalled.
            var pools = Signal.TakeSignalledPools();
            if (delivered == 0 && pools is { Count: 0 } && !Simulated.StateChanges.TryPeek(out _))
            {
                return (total, passes);
            }

            if (pools is { Count: 0 })
            {
                // Events that freed nothing signal no pool; the scheduler process would not pass either.
                continue;
            }

            var pass = await Scheduler.RunPassAsync(fence: null, pools, cancellationToken);
            passes++;
            total = total.Add(pass);
            if (pass.Retry)
            {
                Signal.Signal();
            }
        }

        throw new InvalidOperationException("The scheduler did not settle within 100 rounds.");
    }

    public async ValueTask DisposeAsync()
    {
        await _meters.DisposeAsync();
        Simulated.Dispose();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
