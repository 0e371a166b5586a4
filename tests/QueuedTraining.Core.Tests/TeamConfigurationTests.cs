using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Team settings as configuration gives them: binding, start-up validation, reload, and what submission makes of them.</summary>
public sealed class TeamConfigurationTests
{
    [Fact]
    public void Validate_QuotasAboveCapacity_RefusesNamingThePoolAndTheTeams()
    {
        var options = new QueueOptions { Capacity = new() { [TestJobs.P5] = 2 } };
        options.Teams["vision"] = new TeamOptions { Quota = { [TestJobs.P5] = 2 } };
        options.Teams["speech"] = new TeamOptions { Quota = { [TestJobs.P5] = 1, [TestJobs.G5] = 1 }, Weight = 0 };

        var result = new QueueOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"The quotas of '{TestJobs.P5}' add up to 3", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("more than its capacity of 2", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"Teams:speech:Quota names '{TestJobs.G5}', which has no Capacity", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Teams:speech:Weight must be a positive number", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_QuotaAndLendingChanged_TakeEffectWithoutRestartAndInvalidOnesAreRefused()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"QueuedTraining:Capacity:{TestJobs.P5}"] = "4",
            [$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "2",
            [$"QueuedTraining:Teams:vision:Lending:{TestJobs.P5}"] = "Reserve",
            ["QueuedTraining:Teams:vision:Members:0"] = "bob",
            ["QueuedTraining:PrincipalTeam:alice"] = "vision",
        });
        var services = new ServiceCollection();
        services.AddQueuedTraining().Options.Bind(configuration.GetSection(QueueOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<QueueOptions>>();

        var before = TeamShares.For(monitor.CurrentValue, TestJobs.P5, new Dictionary<string, double>())!.ShareOf("vision");
        configuration[$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "3";
        configuration[$"QueuedTraining:Teams:vision:Lending:{TestJobs.P5}"] = "Lend";
        ((IConfigurationRoot)configuration).Reload();
        var after = TeamShares.For(monitor.CurrentValue, TestJobs.P5, new Dictionary<string, double>())!.ShareOf("vision");

        Assert.Equal((2, LendingMode.Reserve), (before.Quota, before.Mode));
        Assert.Equal((3, LendingMode.Lend), (after.Quota, after.Mode));
        Assert.Equal("vision", TeamResolver.TeamOf(monitor.CurrentValue, "alice"));
        Assert.Equal(["bob"], monitor.CurrentValue.Teams["vision"].Members);

        // A reload the rules refuse fails as loudly as a bad start-up does.
        configuration[$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "5";
        var refused = Assert.ThrowsAny<Exception>(((IConfigurationRoot)configuration).Reload);
        Assert.Contains("more than its capacity of 4", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_TeamTagOfAMember_RunsInThatTeamAndOthersAreRefused()
    {
        await using var harness = new SchedulerHarness();
        harness.Options.PrincipalTeam["alice"] = "vision";
        harness.Options.Teams["vision"] = new TeamOptions();
        harness.Options.Teams["speech"] = new TeamOptions { Members = ["alice"] };

        var own = await harness.Commands.SubmitAsync(SchedulerHarness.Alice, TestJobs.Request("own", 1));
        var tagged = await harness.Commands.SubmitAsync(SchedulerHarness.Alice, Tagged("tagged", "speech"));
        var refused = await Assert.ThrowsAsync<JobValidationException>(() => harness.Commands.SubmitAsync(new JobCaller("carol", IsOperator: false), Tagged("foreign", "speech")));
        var unconfigured = await harness.Commands.SubmitAsync(new JobCaller("carol", IsOperator: false), TestJobs.Request("carols", 1));

        Assert.Equal("vision", own.Job.Team);
        Assert.Equal("speech", tagged.Job.Team);
        Assert.Equal(TeamResolver.DefaultTeam, unconfigured.Job.Team);
        var error = Assert.Single(refused.Errors);
        Assert.Equal(ProblemCodes.TeamNotAllowed, error.Code);
        Assert.Equal("Tags[1].Value", error.Field);
        Assert.Equal("speech", (await harness.Get("tagged")).Team);
    }

    [Fact]
    public async Task Submit_NoTeamsConfigured_AcceptsAnyTeamTagAndRunsInTheDefaultTeam()
    {
        await using var harness = new SchedulerHarness();

        var tagged = await harness.Commands.SubmitAsync(new JobCaller("carol", IsOperator: false), Tagged("cost-tagged", "speech"));

        Assert.Equal(TeamResolver.DefaultTeam, tagged.Job.Team);
        Assert.Contains("\"speech\"", (await harness.Get("cost-tagged")).RequestJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_PriorityAboveTheTeamsCeiling_IsRefusedWithTheCeiling()
    {
        await using var harness = new SchedulerHarness();
        harness.Options.PrincipalTeam["alice"] = "interns";
        harness.Options.Teams["interns"] = new TeamOptions { MaxPriority = 10 };

        var refused = await Assert.ThrowsAsync<JobValidationException>(() => harness.Commands.SubmitAsync(SchedulerHarness.Alice, TestJobs.Request("urgent", 11)));
        var accepted = await harness.Commands.SubmitAsync(SchedulerHarness.Alice, TestJobs.Request("fine", 10));
        var raise = await Assert.ThrowsAsync<JobValidationException>(() => harness.Commands.ChangePriorityAsync("fine", 50, SchedulerHarness.Alice));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(ProblemCodes.PriorityAboveLimit, error.Code);
        Assert.Contains("team 'interns'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.PriorityAboveLimit, Assert.Single(raise.Errors).Code);
        Assert.Equal(10, accepted.Job.Priority);
    }

    [Fact]
    public async Task Scheduler_IdleTeamSubmits_ReclaimsTheBorrowedInstanceAndSaysSoInHistory()
    {
        await using var harness = new SchedulerHarness();
        harness.Options.PrincipalTeam["alice"] = "a";
        harness.Options.PrincipalTeam["bob"] = "b";
        harness.Options.Teams["a"] = new TeamOptions { Quota = { [TestJobs.P5] = 1 } };
        harness.Options.Teams["b"] = new TeamOptions { Quota = { [TestJobs.P5] = 1 } };
        var bob = new JobCaller("bob", IsOperator: false);

        await harness.Commands.SubmitAsync(bob, TestJobs.Request("b1", 5, simSeconds: 3600));
        await harness.Commands.SubmitAsync(bob, TestJobs.Request("b2", 1, simSeconds: 3600));
        await harness.SettleAsync();
        var borrowed = await harness.Get("b2");
        await harness.Commands.SubmitAsync(SchedulerHarness.Alice, TestJobs.Request("a1", 0, simSeconds: 3600));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        // The borrower's stop takes SageMaker a few seconds.
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(borrowed.History, h => h.Reason.Contains("borrowed from other teams", StringComparison.Ordinal));
        var reclaimed = await harness.Get("b2");
        Assert.Contains(reclaimed.History, h => h.Reason.Contains("give team a back its", StringComparison.Ordinal));
        Assert.Equal(JobState.Running, await harness.StateOf("a1"));
        Assert.Contains("team a's own quota", (await harness.Get("a1")).History.Last(h => h.Reason.StartsWith("starting", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Equal(JobState.Running, await harness.StateOf("b1"));
    }

    private static CreateTrainingJobRequest Tagged(string name, string team)
    {
        var request = TestJobs.Request(name, 1);
        request.Tags!.Add(new Tag { Key = "team", Value = team });
        return request;
    }
}
