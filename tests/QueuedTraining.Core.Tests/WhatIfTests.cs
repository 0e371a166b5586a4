using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Core.Teams;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class WhatIfTests
{
    [Fact]
    public async Task WhatIf_HigherPriorityThanTheRunner_NamesItsVictimAndStoresNothing()
    {
        await using var harness = new SchedulerHarness();
        await harness.SubmitAsync("runner", priority: 1, instanceCount: 2, seconds: 3_000);
        await harness.SettleAsync();

        var candidate = harness.Commands.Preview(SchedulerHarness.Alice, TestJobs.Request("urgent", 5, instanceCount: 1));
        var answer = await harness.Services.GetRequiredService<JobQueries>().WhatIfAsync(candidate);

        Assert.Equal(["runner"], answer.Preempts);
        Assert.Equal(1, answer.QueuePosition);
        Assert.Equal(harness.Time.GetUtcNow(), answer.ExpectedStart!.Earliest);
        Assert.Null(await harness.Store.GetAsync("urgent"));
    }

    [Fact]
    public async Task WhatIf_FreeInstanceIsAnotherTeamsReservedQuota_ExpectsTheStartWhenTheRunnerEnds()
    {
        await using var harness = new SchedulerHarness();
        harness.Options.Teams["lab"] = new TeamOptions
        {
            Quota = { [TestJobs.P5] = 1 },
            Lending = { [TestJobs.P5] = LendingMode.Reserve },
        };
        await harness.SubmitAsync("runner", priority: 1, instanceCount: 1, seconds: 3_000);
        await harness.SettleAsync();

        var candidate = harness.Commands.Preview(SchedulerHarness.Alice, TestJobs.Request("next", 1, instanceCount: 1));
        var answer = await harness.Services.GetRequiredService<JobQueries>().WhatIfAsync(candidate);

        // One of the two instances is free, but it is lab's reserved quota: the default team waits for the runner's.
        Assert.Empty(answer.Preempts);
        Assert.True(answer.ExpectedStart!.Earliest > harness.Time.GetUtcNow(), $"expected a start after now, got {answer.ExpectedStart.Earliest:O}");
    }
}
