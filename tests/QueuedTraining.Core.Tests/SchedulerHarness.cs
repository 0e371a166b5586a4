using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing;

namespace QueuedTraining.Core.Tests;

/// <summary>The real scheduler, commands and state-change handling over a real SQLite file and the simulated SageMaker on a fake clock.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-core-").FullName;

    public SchedulerHarness(Dictionary<string, int>? capacity = null, Action<IServiceCollection>? configure = null)
    {
        Options = new QueueOptions
        {
            Capacity = capacity ?? new Dictionary<string, int> { [TestJobs.P5] = 2 },
            StartRetryBaseDelay = TimeSpan.FromSeconds(10),
            ReconcileInterval = TimeSpan.FromSeconds(30),
        };
        Store = new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") }));
        Simulated = new SimulatedSageMaker(
            Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromMinutes(10), StopGracePeriod = TimeSpan.FromSeconds(5) }),
            Time);
        Backend = new FaultInjectingSageMaker(Simulated);
        Services = EngineServices.Create(Store, Backend, Options, Time, configure);
        Signal = Services.GetRequiredService<SchedulerSignal>();
        Commands = Services.GetRequiredService<JobCommands>();
        Scheduler = Services.GetRequiredService<QueueScheduler>();
        Processor = Services.GetRequiredService<StateChangeProcessor>();
        Reconciler = Services.GetRequiredService<AttemptReconciler>();
    }

    public FakeTimeProvider Time { get; } = new(TestJobs.Epoch);

    public QueueOptions Options { get; }

    public SqliteJobStore Store { get; }

    public SimulatedSageMaker Simulated { get; }

    public FaultInjectingSageMaker Backend { get; }

    public ServiceProvider Services { get; }

    public SchedulerSignal Signal { get; }

    public JobCommands Commands { get; }

    public QueueScheduler Scheduler { get; }

    public StateChangeProcessor Processor { get; }

    public AttemptReconciler Reconciler { get; }

    public static JobCaller Alice { get; } = new("alice", IsOperator: false);

    public async Task<QueuedJob> SubmitAsync(string name, int priority, string instanceType = TestJobs.P5, int instanceCount = 1, double? seconds = null)
    {
        var result = await Commands.SubmitAsync("alice", TestJobs.Request(name, priority, instanceType, instanceCount, seconds));
        Time.Advance(TimeSpan.FromMilliseconds(10));
        return result.Job;
    }

    /// <summary>Delivers every pending simulated event and runs passes until nothing changes.</summary>
    public async Task SettleAsync()
    {
        for (var round = 0; round < 50; round++)
        {
            var delivered = 0;
            while (Simulated.StateChanges.TryRead(out var change))
            {
                await Processor.HandleAsync(change);
                delivered++;
            }

            var pass = await Scheduler.RunPassAsync(fence: null);
            if (delivered == 0 && pass.Started == 0 && pass.Preempted == 0 && !pass.Retry && !Simulated.StateChanges.TryPeek(out _))
            {
                return;
            }
        }

        throw new InvalidOperationException("The scheduler did not settle.");
    }

    /// <summary>Moves the clock and settles.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await SettleAsync();
    }

    public async Task<JobState> StateOf(string name) => (await Store.GetAsync(name))!.State;

    public async Task<QueuedJob> Get(string name) => (await Store.GetAsync(name))!;

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Simulated.Dispose();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
