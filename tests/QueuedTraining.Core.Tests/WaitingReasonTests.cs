using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class WaitingReasonTests
{
    private static readonly QueuedJob Head = TestJobs.Job("head", priority: 5);
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(1);

    [Fact]
    public void Describe_BehindTheHead_GivesThePlaceInLine() =>
        Assert.Equal($"waiting: 3 job(s) ahead in the {TestJobs.P5} queue", Describe(Head, 4, [], 2, Now));

    [Fact]
    public void Describe_HeadWithFreeInstances_SaysItStartsOnTheNextPass() =>
        Assert.Equal(
            $"next in line: 1 of 2 {TestJobs.P5} instances are free; it starts on the scheduler's next pass",
            Describe(Head, 1, [Holder("a", 9, JobState.Running)], 2, Now));

    [Fact]
    public void Describe_HeadWhileInstancesAreReleased_CountsThem() =>
        Assert.Equal(
            $"next in line: waiting for 1 {TestJobs.P5} instance(s) that are being released",
            Describe(Head, 1, [Holder("a", 9, JobState.Running), Holder("b", 1, JobState.Preempting)], 2, Now));

    [Fact]
    public void Describe_HeadBehindEqualOrHigherPriorities_SaysNothingCanBePreempted() =>
        Assert.Equal(
            $"waiting for capacity: 2 of 2 {TestJobs.P5} instances are in use by jobs of equal or higher priority",
            Describe(Head, 1, [Holder("a", 9, JobState.Running), Holder("b", 5, JobState.Starting)], 2, Now));

    [Fact]
    public void Describe_HeadBehindALowerPriority_NamesWhatThePolicyMayPreempt() =>
        Assert.Equal(
            $"waiting for capacity: 2 of 2 {TestJobs.P5} instances are in use, 1 by lower-priority jobs the scheduling policy may preempt",
            Describe(Head, 1, [Holder("a", 9, JobState.Running), Holder("b", 1, JobState.Running)], 2, Now));

    [Fact]
    public void Describe_PoolNotConfigured_SaysSo() =>
        Assert.Equal($"next in line, but no {TestJobs.P5} capacity is configured", Describe(Head, 1, [], capacity: null, Now));

    [Fact]
    public void Describe_BackingOffOrNotWaiting_LeavesTheStoredReason()
    {
        Assert.Null(Describe(Head with { NotBefore = Now.AddSeconds(1) }, 1, [], 2, Now));
        Assert.Null(Describe(Head with { State = JobState.Running }, 1, [], 2, Now));
    }

    [Fact]
    public void Describe_BackOffRunOut_ExplainsTheWaitByThePoolAgain() =>
        Assert.Equal(
            $"waiting for capacity: 2 of 2 {TestJobs.P5} instances are in use by jobs of equal or higher priority",
            Describe(Head with { NotBefore = Now }, 1, [Holder("a", 9, JobState.Running), Holder("b", 5, JobState.Running)], 2, Now));

    private static QueuedJob Holder(string name, int priority, JobState state) => TestJobs.Job(name, priority: priority, state: state);

    /// <summary>The reason as the API shows it; null where the job's stored reason applies (not waiting, or backing off).</summary>
    private static string? Describe(QueuedJob job, long position, IReadOnlyList<QueuedJob> holding, int? capacity, DateTimeOffset now) =>
        WaitingReason.For(job, position - 1, holding, capacity, now) is { Code: not WaitReasonCode.BackingOff } reason ? reason.Describe() : null;
}
