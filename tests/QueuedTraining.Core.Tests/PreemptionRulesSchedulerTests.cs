using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Minimum runtime and preemption budget through the real scheduler, commands and queries.</summary>
public sealed class PreemptionRulesSchedulerTests
{
    [Fact]
    public async Task RunPassAsync_VictimWithinMinimumRuntime_IsPreemptedOnlyOnceItHasRunThatLong()
    {
        await using var h = new SchedulerHarness(new Dictionary<string, int> { [TestJobs.P5] = 1 });
        h.Options.MinimumRuntimeBeforePreemption = TimeSpan.FromMinutes(30);
        h.Options.MinimumRuntimeByPool[TestJobs.P5] = TimeSpan.FromMinutes(5);
        await h.SubmitAsync("low", 1, seconds: 3600);
        await h.SettleAsync();
        var startedAt = (await h.Get("low")).CurrentAttempt!.StartedAt;

        await h.SubmitAsync("high", 5, seconds: 60);
        await h.SettleAsync();
        Assert.Equal(JobState.Running, await h.StateOf("low"));
        var view = await h.Services.GetRequiredService<JobQueries>().GetAsync("high", SchedulerHarness.Alice);
        Assert.Equal(WaitReasonCode.WaitingForMinimumRuntime, view!.WaitReason!.Code);
        Assert.Equal(startedAt.AddMinutes(5), view.WaitReason.NotBefore);

        h.Time.SetUtcNow(startedAt.AddMinutes(5) - TimeSpan.FromSeconds(1));
        await h.SettleAsync();
        Assert.Equal(JobState.Running, await h.StateOf("low"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(JobState.Preempting, await h.StateOf("low"));
        var low = await h.Services.GetRequiredService<JobQueries>().GetAsync("low", SchedulerHarness.Alice);
        Assert.Equal(1, low!.Job.Preemptions);
        Assert.Equal(h.Options.MaxPreemptionsPerJob - 1, low.PreemptionsLeft);
    }

    [Fact]
    public async Task RunPassAsync_BudgetSpent_JobIsNotPreemptedAgain()
    {
        await using var h = new SchedulerHarness(new Dictionary<string, int> { [TestJobs.P5] = 1 });
        h.Options.MaxPreemptionsPerJob = 1;
        await h.SubmitAsync("low", 1, seconds: 3600);
        await h.SettleAsync();
        await h.SubmitAsync("first", 5, seconds: 60);
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(JobState.Preempted, await h.StateOf("low"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobState.Running, await h.StateOf("low"));

        await h.SubmitAsync("second", 5, seconds: 60);
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(JobState.Running, await h.StateOf("low"));
        Assert.Equal(JobState.Pending, await h.StateOf("second"));
        var low = await h.Services.GetRequiredService<JobQueries>().GetAsync("low", SchedulerHarness.Alice);
        Assert.Equal(1, low!.Job.Preemptions);
        Assert.Equal(0, low.PreemptionsLeft);
        Assert.Contains(low.Job.History, e => e.State == JobState.Preempting && e.Reason.StartsWith("preempted for first (priority 5 > 1; preemption 1 of at most 1; ", StringComparison.Ordinal) && e.Reason.EndsWith("instance-seconds of work lost, no checkpoint)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_MinimumRuntimeTag_IsKeptOnTheJobAndAnInvalidOneIsRefused()
    {
        await using var h = new SchedulerHarness();
        var request = TestJobs.Request("asks", 1);
        request.Tags!.Add(new Tag { Key = h.Options.MinimumRuntimeTagKey, Value = "1800" });
        var bad = TestJobs.Request("bad", 1);
        bad.Tags!.Add(new Tag { Key = h.Options.MinimumRuntimeTagKey, Value = "-5" });

        var job = (await h.Commands.SubmitAsync("alice", request)).Job;
        var refused = await Assert.ThrowsAsync<JobValidationException>(() => h.Commands.SubmitAsync("alice", bad));

        Assert.Equal(TimeSpan.FromMinutes(30), job.RequestedMinimumRuntime);
        Assert.Equal(TimeSpan.FromMinutes(30), (await h.Get("asks")).RequestedMinimumRuntime);
        Assert.Contains(refused.Errors, e => e.Field == "Tags[1].Value");
        Assert.Null(await h.Store.GetAsync("bad"));
    }
}

/// <summary>The preemption options fail at start-up, every error at once.</summary>
public sealed class PreemptionOptionsValidationTests
{
    [Fact]
    public void Validate_BadPreemptionOptions_NamesEachOne()
    {
        var options = new QueueOptions
        {
            Capacity = new Dictionary<string, int> { [TestJobs.P5] = 2 },
            MinimumRuntimeByPool = new Dictionary<string, TimeSpan> { [TestJobs.G5] = TimeSpan.FromMinutes(5), [TestJobs.P5] = TimeSpan.FromMinutes(-1) },
            MaxPreemptionsPerJob = -1,
            MinimumRuntimeTagKey = "",
        };

        var result = new QueueOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"names '{TestJobs.G5}', which has no Capacity", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"MinimumRuntimeByPool of '{TestJobs.P5}'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(QueueOptions.MaxPreemptionsPerJob), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(QueueOptions.MinimumRuntimeTagKey), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadCheckpointGrace_NamesEachOne()
    {
        var options = new QueueOptions
        {
            Capacity = new Dictionary<string, int> { [TestJobs.P5] = 2 },
            PreemptionCheckpointGrace = TimeSpan.FromMinutes(-1),
            PreemptionCheckpointGraceByPool = new Dictionary<string, TimeSpan> { [TestJobs.G5] = TimeSpan.FromMinutes(5), [TestJobs.P5] = TimeSpan.FromDays(2) },
        };

        var result = new QueueOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"names '{TestJobs.G5}', which has no Capacity", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"PreemptionCheckpointGraceByPool of '{TestJobs.P5}'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(QueueOptions.PreemptionCheckpointGrace), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PreemptionRulesFor_CheckpointGrace_PoolWithItsOwnUsesItAndEveryPoolSeesCheckpointsAsLateAsReadsAndPassesAllow()
    {
        var options = new QueueOptions
        {
            PreemptionCheckpointGrace = TimeSpan.FromMinutes(5),
            PreemptionCheckpointGraceByPool = new Dictionary<string, TimeSpan> { [TestJobs.G5] = TimeSpan.Zero },
            CheckpointRefreshInterval = TimeSpan.FromMinutes(2),
            ReconcileInterval = TimeSpan.FromSeconds(15),
        };

        Assert.Equal(TimeSpan.FromMinutes(5), options.PreemptionRulesFor(TestJobs.P5).CheckpointGrace);
        Assert.Equal(TimeSpan.Zero, options.PreemptionRulesFor(TestJobs.G5).CheckpointGrace);
        Assert.Equal(TimeSpan.FromSeconds(150), options.PreemptionRulesFor(TestJobs.P5).CheckpointSeenWithin);
    }

    [Fact]
    public void MinimumRuntimeFor_PoolWithItsOwn_UsesItAndOthersTheDefault()
    {
        var options = new QueueOptions { MinimumRuntimeBeforePreemption = TimeSpan.FromMinutes(10) };
        options.MinimumRuntimeByPool[TestJobs.P5] = TimeSpan.FromMinutes(30);

        Assert.Equal(TimeSpan.FromMinutes(30), options.MinimumRuntimeFor(TestJobs.P5));
        Assert.Equal(TimeSpan.FromMinutes(10), options.MinimumRuntimeFor(TestJobs.G5));
        Assert.Equal(3, new QueueOptions().MaxPreemptionsPerJob);
        Assert.Equal(TimeSpan.Zero, new QueueOptions().MinimumRuntimeBeforePreemption);
    }
}
