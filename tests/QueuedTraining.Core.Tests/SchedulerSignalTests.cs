using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class SchedulerSignalTests
{
    [Fact]
    public void TakeSignalledPools_PoolsSignalled_ReturnsThemOnceThenNone()
    {
        var signal = new SchedulerSignal();
        signal.Signal("a");
        signal.Signal("b");
        signal.Signal("a");

        Assert.Equal(["a", "b"], signal.TakeSignalledPools()!.Order());
        Assert.Empty(signal.TakeSignalledPools()!);
    }

    [Fact]
    public void TakeSignalledPools_UnscopedSignal_MeansEveryPool()
    {
        var signal = new SchedulerSignal();
        signal.Signal("a");
        signal.Signal();

        Assert.Null(signal.TakeSignalledPools());
    }

    [Fact]
    public async Task RunPassAsync_OnePoolNamed_LeavesOtherPoolsForTheirOwnSignal()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1, [TestJobs.G5] = 1 });
        await h.SubmitAsync("p5-job", 1);
        await h.SubmitAsync("g5-job", 1, instanceType: TestJobs.G5);

        await h.Scheduler.RunPassAsync(fence: null, new HashSet<string> { TestJobs.G5 });

        Assert.Equal(JobState.Pending, await h.StateOf("p5-job"));
        Assert.Equal(JobState.Running, await h.StateOf("g5-job"));
        Assert.Equal([TestJobs.G5, TestJobs.P5], h.Signal.TakeSignalledPools()!.Order());
    }
}
