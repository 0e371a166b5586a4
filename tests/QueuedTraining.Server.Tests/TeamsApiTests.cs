using System.Net;
using System.Net.Http.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Teams as configuration binds them, seen through the HTTP API: the job's team, the team filter and GET /v1/teams.</summary>
public sealed class TeamsApiTests
{
    [Fact]
    public async Task Teams_TwoTeamsShareAPool_JobsShowTheirTeamAndTheTeamsEndpointShowsQuotasAndBorrowing()
    {
        var settings = RunningQueueService.TenantSettings();
        settings["QueuedTraining:PrincipalTeam:alice"] = "vision";
        settings["QueuedTraining:PrincipalTeam:bob"] = "speech";
        settings[$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "1";
        settings[$"QueuedTraining:Teams:speech:Quota:{TestJobs.P5}"] = "1";
        settings[$"QueuedTraining:Teams:speech:Lending:{TestJobs.P5}"] = "Reserve";
        settings["QueuedTraining:Teams:speech:MaxPriority"] = "10";
        await using var service = await RunningQueueService.StartAsync(settings: settings);

        service.UseKey("alice-key");
        Assert.Equal(HttpStatusCode.Accepted, (await service.SubmitAsync(TestJobs.Request("v1", 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await service.SubmitAsync(TestJobs.Request("v2", 1))).StatusCode);
        await service.WaitForStateAsync("v1", JobState.Running);
        var reserved = await service.GetJobAsync("v2");
        var aliceList = await service.ListAsync("?team=vision");
        var teams = await service.Client.GetFromJsonAsync("/v1/teams", QueueJsonContext.Default.TeamsResource);

        service.UseKey("bob-key");
        var tooHigh = await service.SubmitAsync(TestJobs.Request("s-urgent", 11));
        var foreignTag = TestJobs.Request("s-as-vision", 1);
        foreignTag.Tags!.Add(new Tag { Key = "team", Value = "vision" });
        var refusedTag = await service.SubmitAsync(foreignTag);

        Assert.Equal("vision", reserved!.Team);
        Assert.Equal(JobState.Pending, reserved.State);
        Assert.Contains("reserved for team(s) speech", reserved.Reason, StringComparison.Ordinal);
        Assert.Equal(["v1", "v2"], aliceList.Items.Select(j => j.Name).Order(StringComparer.Ordinal));
        var vision = Assert.Single(teams!.Teams, t => t.Team == "vision" && t.InstanceType == TestJobs.P5);
        Assert.Equal((1, 1, 0, 1, "LendAndBorrow"), (vision.Quota, vision.InUse, vision.Borrowed, vision.Waiting, vision.Lending));
        var speech = Assert.Single(teams.Teams, t => t.Team == "speech" && t.InstanceType == TestJobs.P5);
        Assert.Equal((1, 0, 0, "Reserve"), (speech.Quota, speech.InUse, speech.Lent, speech.Lending));
        Assert.Equal(HttpStatusCode.BadRequest, tooHigh.StatusCode);
        Assert.Equal(ProblemCodes.PriorityAboveLimit, (await ProblemReader.ReadAsync(tooHigh)).Code);
        var tagProblem = await ProblemReader.ReadAsync(refusedTag);
        Assert.Equal((ProblemCodes.TeamNotAllowed, "Tags[1].Value"), (tagProblem.Code, tagProblem.Field));
    }
}
