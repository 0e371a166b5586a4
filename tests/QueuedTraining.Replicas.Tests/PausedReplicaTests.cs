using Microsoft.Data.Sqlite;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.DynamoDB;
using QueuedTraining.Stores.DynamoDB.Tests;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Replicas.Tests;

/// <summary>
/// Replica A holds the lease and has decided to start a job, but freezes right before its fenced write.
/// Its lease lapses, replica B takes over with a larger token and decides for itself. When A wakes, none
/// of its decisions may land. The clock is passed explicitly to the lease calls, so "lapses" is exact.
/// </summary>
#pragma warning disable CA1001 // The simulated SageMaker is disposed in IAsyncLifetime.DisposeAsync, which xunit calls.
public abstract class PausedReplicaTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly DateTimeOffset T0 = TestJobs.Epoch;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);
    private static readonly JobCaller Operator = new("operator", IsOperator: true);

    private readonly SageMakerRecorder _recorder = new();
    private SimulatedSageMaker _sageMaker = null!;
    private IJobStore _storeA = null!;
    private IJobStore _storeB = null!;

    public async Task InitializeAsync()
    {
        _sageMaker = new SimulatedSageMaker(
            Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromHours(1) }),
            TimeProvider.System);
        (_storeA, _storeB) = await CreateStoresAsync();
        A = CreateReplica("replica-a", _storeA);
        B = CreateReplica("replica-b", _storeB);
    }

    public async Task DisposeAsync()
    {
        _sageMaker.Dispose();
        await DisposeStoresAsync(_storeA, _storeB);
    }

    private Replica A { get; set; } = null!;

    private Replica B { get; set; } = null!;

    /// <summary>Two store instances (separate connections) over one shared database.</summary>
    protected abstract Task<(IJobStore A, IJobStore B)> CreateStoresAsync();

    protected abstract Task DisposeStoresAsync(IJobStore a, IJobStore b);

    [Fact]
    public async Task RunPassAsync_LeaseTakenOverWhilePausedBeforeStart_StaleStartRejectedAndNothingCreated()
    {
        await A.Commands.SubmitAsync("team", Request("early", priority: 1));
        var (leaseA, paused, release) = await PauseAAtItsFirstFencedWriteAsync();

        // B takes over; a more urgent job arrives and B gives it the only instance.
        var leaseB = await B.Store.TryAcquireLeaseAsync(B.Id, T0 + LeaseDuration + TimeSpan.FromSeconds(1), LeaseDuration);
        Assert.NotNull(leaseB);
        Assert.True(leaseB.Token > leaseA.Token);
        await B.Commands.SubmitAsync("team", Request("urgent", priority: 9));
        var passB = await B.Scheduler.RunPassAsync(leaseB);
        Assert.Equal(1, passB.Started);

        release.SetResult();
        await Assert.ThrowsAsync<LeaseLostException>(() => paused);

        await AssertOnlyBStartedAsync("urgent", notStarted: "early");
    }

    [Fact]
    public async Task RunPassAsync_LeaseTakenOverButJobUntouched_FenceAloneRejectsStaleStart()
    {
        await A.Commands.SubmitAsync("team", Request("early", priority: 1));
        var (leaseA, paused, release) = await PauseAAtItsFirstFencedWriteAsync();
        var before = await _storeB.GetAsync("early");

        // B only takes the lease: the job A read is unchanged, so A's version condition would still hold.
        var leaseB = await B.Store.TryAcquireLeaseAsync(B.Id, T0 + LeaseDuration + TimeSpan.FromSeconds(1), LeaseDuration);
        Assert.NotNull(leaseB);

        release.SetResult();
        await Assert.ThrowsAsync<LeaseLostException>(() => paused);

        var after = await _storeB.GetAsync("early");
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(JobState.Pending, after.State);
        Assert.Empty(after.Attempts);
        Assert.Empty(_recorder.Calls);
        Assert.Equal(0, _sageMaker.ActiveJobCount);
    }

    [Fact]
    public async Task RunPassAsync_LeaseTakenOverWhilePausedBeforePreemption_StalePreemptionRejected()
    {
        // Under A's lease: a low-priority job runs on the only instance.
        var leaseA = (await A.Store.TryAcquireLeaseAsync(A.Id, T0, LeaseDuration))!;
        await A.Commands.SubmitAsync("team", Request("low", priority: 0));
        Assert.Equal(1, (await A.Scheduler.RunPassAsync(leaseA)).Started);

        // A high-priority job arrives; A decides to preempt "low" and freezes before writing it.
        await A.Commands.SubmitAsync("team", Request("high", priority: 9));
        var (paused, release) = PauseAtNextFencedWrite(A);
        var pass = Task.Run(() => A.Scheduler.RunPassAsync(leaseA));
        await paused;

        // B takes over; meanwhile the user lowers "high" below "low", so B has no reason to preempt.
        var leaseB = (await B.Store.TryAcquireLeaseAsync(B.Id, T0 + LeaseDuration + TimeSpan.FromSeconds(1), LeaseDuration))!;
        await B.Commands.ChangePriorityAsync("high", -1, Operator);
        var passB = await B.Scheduler.RunPassAsync(leaseB);
        Assert.Equal(0, passB.Preempted);

        release.SetResult();
        await Assert.ThrowsAsync<LeaseLostException>(() => pass);

        var low = (await _storeB.GetAsync("low"))!;
        Assert.Equal(JobState.Running, low.State);
        Assert.DoesNotContain(_recorder.Calls, c => c.Operation == "StopTrainingJob");
        Assert.Equal(1, _sageMaker.ActiveJobCount);
    }

    /// <summary>A takes the lease at T0 and starts a pass that freezes at its first fenced write.</summary>
    private async Task<(SchedulerLease Lease, Task<Core.Scheduling.SchedulingPassResult> Pass, TaskCompletionSource Release)> PauseAAtItsFirstFencedWriteAsync()
    {
        var lease = await A.Store.TryAcquireLeaseAsync(A.Id, T0, LeaseDuration);
        Assert.NotNull(lease);
        var (paused, release) = PauseAtNextFencedWrite(A);
        var pass = Task.Run(() => A.Scheduler.RunPassAsync(lease));
        await paused;
        return (lease, pass, release);
    }

    /// <summary>Freezes the replica's next fenced write; the first task completes once it is frozen.</summary>
    private static (Task Paused, TaskCompletionSource Release) PauseAtNextFencedWrite(Replica replica)
    {
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        replica.Store.BeforeFencedWrite = async (_, _, _) =>
        {
            replica.Store.BeforeFencedWrite = null;
            paused.SetResult();
            await release.Task;
        };
        return (paused.Task, release);
    }

    private async Task AssertOnlyBStartedAsync(string started, string notStarted)
    {
        var waiting = (await _storeB.GetAsync(notStarted))!;
        Assert.True(waiting.State.IsWaiting(), $"{notStarted} is {waiting.State}");
        Assert.Empty(waiting.Attempts);

        var running = (await _storeB.GetAsync(started))!;
        Assert.Equal(JobState.Running, running.State);
        var creates = _recorder.Calls.Where(c => c.Operation == "CreateTrainingJob").ToList();
        Assert.DoesNotContain(creates, c => c.ReplicaId == A.Id);
        var create = Assert.Single(creates);
        Assert.Equal(running.CurrentAttemptName, create.TrainingJobName);
        Assert.Equal(1, _sageMaker.ActiveJobCount);
        Assert.Null(await A.Store.TryAcquireLeaseAsync(A.Id, T0 + LeaseDuration + TimeSpan.FromSeconds(2), LeaseDuration));
    }

    private Replica CreateReplica(string id, IJobStore store) =>
        new(id, store, _recorder.ClientFor(id, _sageMaker), new QueueOptions { Capacity = new(StringComparer.Ordinal) { [TestJobs.P5] = 1 } }, TimeProvider.System);

    private static Contracts.SageMaker.CreateTrainingJobRequest Request(string name, int priority)
    {
        var request = TestJobs.Request(name, priority);
        request.HyperParameters![SageMakerRecorder.QueuedJobHyperParameter] = name;
        return request;
    }
}

/// <summary>The paused-replica scenarios on one DynamoDB table (moto_server) shared by two store instances.</summary>
[Collection(MotoServerTests.Name)]
public sealed class DynamoDBPausedReplicaTests(MotoServerFixture moto) : PausedReplicaTests
{
    protected override async Task<(IJobStore A, IJobStore B)> CreateStoresAsync()
    {
        var table = await moto.CreateTableAsync();
        return (new DynamoDBJobStore(moto.Options(table)), new DynamoDBJobStore(moto.Options(table)));
    }

    protected override async Task DisposeStoresAsync(IJobStore a, IJobStore b)
    {
        var table = ((DynamoDBJobStore)a).TableName;
        await ((DynamoDBJobStore)a).DisposeAsync();
        await ((DynamoDBJobStore)b).DisposeAsync();
        await moto.DeleteTableAsync(table);
    }
}

/// <summary>The paused-replica scenarios on one SQLite file opened by two store instances.</summary>
public sealed class SqlitePausedReplicaTests : PausedReplicaTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-replicas-").FullName;

    protected override Task<(IJobStore A, IJobStore B)> CreateStoresAsync()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") });
        return Task.FromResult<(IJobStore, IJobStore)>((new SqliteJobStore(options), new SqliteJobStore(options)));
    }

    protected override async Task DisposeStoresAsync(IJobStore a, IJobStore b)
    {
        await ((SqliteJobStore)a).DisposeAsync();
        await ((SqliteJobStore)b).DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
