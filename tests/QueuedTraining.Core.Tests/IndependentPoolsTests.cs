using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Hosting;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>A SageMaker call that hangs in one pool must not hold up starts in another.</summary>
public sealed class IndependentPoolsTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("qt-pools-").FullName;
    private readonly SqliteJobStore _store;
    private readonly SimulatedSageMaker _simulated;
    private readonly PoolGate _gate = new(TestJobs.P5);
    private readonly ServiceProvider _services;

    public IndependentPoolsTests()
    {
        _store = new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") }));
        _simulated = new SimulatedSageMaker(Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromHours(1) }), TimeProvider.System);
        var backend = new FaultInjectingSageMaker(_simulated) { BeforeCreate = _gate.BeforeCreateAsync };
        var options = new QueueOptions { Capacity = new() { [TestJobs.P5] = 1, [TestJobs.G5] = 1 }, ReconcileInterval = TimeSpan.FromMinutes(10) };
        _services = EngineServices.Create(_store, backend, options, TimeProvider.System);
    }

    [Fact]
    public async Task RunPassAsync_CreateHangsInOnePool_TheOtherPoolStartsMeanwhile()
    {
        var commands = _services.GetRequiredService<JobCommands>();
        await commands.SubmitAsync("alice", TestJobs.Request("slow", 1, TestJobs.P5));
        await commands.SubmitAsync("alice", TestJobs.Request("quick", 1, TestJobs.G5));

        var pass = _services.GetRequiredService<QueueScheduler>().RunPassAsync(fence: null);
        await WaitUntilAsync(async () => (await _store.GetAsync("quick"))!.State == JobState.Running);

        Assert.False(pass.IsCompleted);
        Assert.Equal(JobState.Starting, (await _store.GetAsync("slow"))!.State);
        _gate.Release();
        var result = await pass.WaitAsync(Patience);
        Assert.Equal(2, result.Started);
    }

    [Fact]
    public async Task SchedulerProcess_CreateHangsInOnePool_AJobSubmittedLaterToAnotherPoolStarts()
    {
        var process = _services.GetServices<IHostedService>().OfType<SchedulerProcess>().Single();
        var commands = _services.GetRequiredService<JobCommands>();
        await process.StartAsync(CancellationToken.None);
        try
        {
            await commands.SubmitAsync("alice", TestJobs.Request("slow", 1, TestJobs.P5));
            await WaitUntilAsync(() => Task.FromResult(_gate.Waiting));

            await commands.SubmitAsync("alice", TestJobs.Request("quick", 1, TestJobs.G5));
            await WaitUntilAsync(async () => (await _store.GetAsync("quick"))!.State == JobState.Running);

            Assert.Equal(JobState.Starting, (await _store.GetAsync("slow"))!.State);
            _gate.Release();
            await WaitUntilAsync(async () => (await _store.GetAsync("slow"))!.State == JobState.Running);
        }
        finally
        {
            _gate.Release();
            await process.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _simulated.Dispose();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <see cref="Patience"/> rather than hanging.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Holds every CreateTrainingJob of one pool until released, as a SageMaker call that hangs would.</summary>
    private sealed class PoolGate(string gatedInstanceType)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _waiting;

        public bool Waiting => _waiting;

        public void Release() => _gate.TrySetResult();

        public async Task BeforeCreateAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken)
        {
            if (request.ResourceConfig?.InstanceType == gatedInstanceType)
            {
                _waiting = true;
                await _gate.Task.WaitAsync(cancellationToken);
            }
        }
    }
}
