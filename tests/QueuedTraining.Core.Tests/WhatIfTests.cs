using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Core.Queries;
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
}
