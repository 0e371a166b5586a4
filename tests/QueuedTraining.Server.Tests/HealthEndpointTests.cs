using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing.Server;
using Xunit;

namespace QueuedTraining.Server.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Readyz_StoreAndSchedulerFine_AnswersReadyWithEachCheck()
    {
        await using var service = await RunningQueueService.StartAsync();

        using var report = await WaitUntilReadyAsync(service.Client);

        var checks = Checks(report);
        Assert.Equal(["store", "scheduler", "schedulerLease"], checks.Keys);
        Assert.Equal("Healthy", checks["store"].GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["scheduler"].GetProperty("status").GetString());
        Assert.True(checks["scheduler"].GetProperty("data").GetProperty("running").GetBoolean());
        // One replica on its own SQLite file takes the lease.
        var lease = checks["schedulerLease"];
        Assert.Equal("Healthy", lease.GetProperty("status").GetString());
        Assert.True(lease.GetProperty("data").GetProperty("holdsLease").GetBoolean());
        Assert.True(lease.GetProperty("data").GetProperty("token").GetInt64() > 0);
    }

    [Fact]
    public async Task Readyz_StoreUnreachable_Answers503NamingTheStoreWhileHealthzStays200()
    {
        UnreachableJobStore? store = null;
        await using var service = await RunningQueueService.StartAsync(services: s =>
            s.AddSingleton<IJobStore>(sp => store = new UnreachableJobStore(sp.GetRequiredService<SqliteJobStore>())));
        (await WaitUntilReadyAsync(service.Client)).Dispose();

        store!.Unreachable = true;
        using var response = await service.Client.GetAsync("/readyz");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var live = await service.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
        var checks = Checks(report);
        Assert.Equal("Unhealthy", checks["store"].GetProperty("status").GetString());
        Assert.Contains("SqliteException", checks["store"].GetProperty("description").GetString());
        Assert.Equal("Healthy", checks["schedulerLease"].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        store.Unreachable = false;
        (await WaitUntilReadyAsync(service.Client)).Dispose();
    }

    [Fact]
    public async Task Readyz_SchedulerProcessStopped_Answers503NamingTheScheduler()
    {
        await using var service = await RunningQueueService.StartAsync();
        (await WaitUntilReadyAsync(service.Client)).Dispose();

        var scheduler = service.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "SchedulerProcess");
        await scheduler.StopAsync(CancellationToken.None);
        using var response = await service.Client.GetAsync("/readyz");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = Checks(report);
        Assert.Equal("Unhealthy", checks["scheduler"].GetProperty("status").GetString());
        Assert.False(checks["scheduler"].GetProperty("data").GetProperty("running").GetBoolean());
        Assert.Equal("Healthy", checks["store"].GetProperty("status").GetString());
        Assert.False(checks["schedulerLease"].GetProperty("data").GetProperty("holdsLease").GetBoolean());
    }

    [Fact]
    public async Task Readyz_TwoReplicasOnOneStore_BothReadyAndOnlyOneHoldsTheLease()
    {
        await using var first = await RunningQueueService.StartAsync();
        await using var second = await RunningQueueService.StartAsync(databasePath: first.DatabasePath);

        using var firstReport = await WaitUntilReadyAsync(first.Client);
        using var secondReport = await WaitUntilReadyAsync(second.Client);

        var holds = new[] { firstReport, secondReport }
            .Select(report => Checks(report)["schedulerLease"].GetProperty("data").GetProperty("holdsLease").GetBoolean())
            .ToList();
        Assert.Single(holds, held => held);
    }

    [Fact]
    public async Task Readyz_ApiKeyModeWithoutKey_AnswersAnonymously()
    {
        await using var service = await RunningQueueService.StartAsync(settings: RunningQueueService.TenantSettings());
        service.UseKey(null);

        using var report = await WaitUntilReadyAsync(service.Client);
        using var jobs = await service.Client.GetAsync("/v1/jobs");

        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
    }

    /// <summary>Polls /readyz until it answers 200 (the scheduler is unready until its first round) and returns the report.</summary>
    private static async Task<JsonDocument> WaitUntilReadyAsync(HttpClient client)
    {
        JsonDocument? report = null;
        var status = HttpStatusCode.OK;
        await Polling.UntilAsync(async () =>
        {
            using var response = await client.GetAsync("/readyz");
            status = response.StatusCode;
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            report?.Dispose();
            report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return status == HttpStatusCode.OK;
        }, "/readyz to answer 200");
        return report!;
    }

    private static Dictionary<string, JsonElement> Checks(JsonDocument report) =>
        report.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
}
