using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using QueuedTraining.Testing.Server;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace QueuedTraining.Dashboard.Tests;

/// <summary>
/// <c>/dashboard</c> in a real browser against the real service (Kestrel on loopback, SQLite, simulated SageMaker), with
/// API keys: the page follows <c>/v1/events</c>, so what happens to a job shows without a reload.
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string OperatorKey = "ops-key";
    private QueueServiceHost _host = null!;

    static DashboardTests() =>
        // Expectations retry until they hold; on two shared cores a page may need more than Playwright's 5 s default.
        SetDefaultExpectTimeout(60_000);

    public async Task InitializeAsync() => _host = await QueueServiceHost.StartAsync(Settings());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, string?> Settings() => new()
    {
        ["QueuedTraining:Auth:Mode"] = "ApiKey",
        ["QueuedTraining:Auth:ApiKeys:" + OperatorKey] = "ops",
        ["QueuedTraining:Auth:ApiKeys:alice-key"] = "alice",
        ["QueuedTraining:Auth:ApiKeys:bob-key"] = "bob",
        ["QueuedTraining:Auth:Operators:0"] = "ops",
        ["QueuedTraining:Capacity:" + TestJobs.P5] = "4",
        ["QueuedTraining:Capacity:" + TestJobs.G5] = "1",
        ["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.200",
        ["QueuedTraining:Events:PollInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task Dashboard_WithoutKey_Returns401()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.BaseUrl };

        var response = await anonymous.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_JobSubmittedThenPreempted_ShowsItAppearRunAndGetPreemptedWithoutReload()
    {
        await using var browser = await ChromiumBrowser.LaunchAsync([new("Authorization", "Bearer " + OperatorKey)]);
        var page = await browser.Context.NewPageAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        await page.GotoAsync(new Uri(_host.BaseUrl, "/dashboard").ToString());
        await Expect(page.Locator("#status")).ToHaveTextAsync("Live");

        await SubmitAsync("alice-key", TestJobs.Request("low-job", 1, TestJobs.G5, simSeconds: 600));
        await Expect(page.Locator("#events")).ToContainTextAsync("low-job submitted");
        await Expect(page.Locator("#running tr[data-job='low-job']")).ToHaveAttributeAsync("data-state", "running");

        await SubmitAsync("bob-key", TestJobs.Request("high-job", 50, TestJobs.G5, simSeconds: 600));
        await Expect(page.Locator("#waiting tr[data-job='low-job']")).ToHaveAttributeAsync("data-state", "preempted");
        await Expect(page.Locator("#running tr[data-job='high-job']")).ToHaveAttributeAsync("data-state", "running");
        await Expect(page.Locator("#timeline [data-kind='preempted']")).ToHaveCountAsync(1);

        Assert.Equal(1, navigations);
    }

    [Fact]
    public async Task Dashboard_BusyQueue_ShowsPoolsQueueRunningJobsAndTimeline()
    {
        // Fills both pools, preempts one job and leaves several waiting: the screenshot in the README is this page.
        await SubmitAsync("alice-key", TestJobs.Request("resnet-sweep-1", 1, TestJobs.G5, simSeconds: 3600));
        await SubmitAsync("alice-key", TestJobs.Request("llm-pretrain", 10, TestJobs.P5, instanceCount: 2, simSeconds: 3600));
        await SubmitAsync("bob-key", TestJobs.Request("vision-finetune", 5, TestJobs.P5, simSeconds: 3600));
        await SubmitAsync("bob-key", TestJobs.Request("eval-nightly", 20, TestJobs.G5, simSeconds: 3600));
        await SubmitAsync("alice-key", TestJobs.Request("resnet-sweep-2", 1, TestJobs.G5, simSeconds: 3600));
        await SubmitAsync("bob-key", TestJobs.Request("llm-rlhf", 8, TestJobs.P5, instanceCount: 2, simSeconds: 3600));
        await SubmitAsync("alice-key", TestJobs.Request("tokenizer-train", 3, TestJobs.P5, simSeconds: 3600));
        await using var browser = await ChromiumBrowser.LaunchAsync([new("Authorization", "Bearer " + OperatorKey)]);
        var page = await browser.Context.NewPageAsync();

        await page.GotoAsync(new Uri(_host.BaseUrl, "/dashboard").ToString());

        await Expect(page.Locator("#waiting tr[data-job='resnet-sweep-1']")).ToHaveAttributeAsync("data-state", "preempted");
        await Expect(page.Locator("#running tr[data-state='running']")).ToHaveCountAsync(3);
        await Expect(page.Locator("#waiting tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("#timeline [data-kind='preempted']")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#pools li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#teams")).ToBeHiddenAsync();
        var screenshot = Environment.GetEnvironmentVariable("QT_DASHBOARD_SCREENSHOT") ?? Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    [Fact]
    public async Task Dashboard_TwoTeams_ShowsEachTeamsQuotaAndInUseAndFollowsAStart()
    {
        var settings = Settings();
        settings["QueuedTraining:PrincipalTeam:alice"] = "vision";
        settings["QueuedTraining:PrincipalTeam:bob"] = "speech";
        settings[$"QueuedTraining:Teams:vision:Quota:{TestJobs.P5}"] = "3";
        settings[$"QueuedTraining:Teams:speech:Quota:{TestJobs.P5}"] = "1";
        await using var host = await QueueServiceHost.StartAsync(settings);
        await SubmitAsync(host, "bob-key", TestJobs.Request("speech-asr", 1, TestJobs.P5, simSeconds: 3600));
        await using var browser = await ChromiumBrowser.LaunchAsync([new("Authorization", "Bearer " + OperatorKey)]);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseUrl, "/dashboard").ToString());
        await Expect(page.Locator("#status")).ToHaveTextAsync("Live");

        var vision = page.Locator($"#team-usage tr[data-team='vision'][data-pool='{TestJobs.P5}']");
        var speech = page.Locator($"#team-usage tr[data-team='speech'][data-pool='{TestJobs.P5}']");
        await Expect(page.Locator("#teams")).ToBeVisibleAsync();
        await Expect(speech.Locator("[role='meter']")).ToHaveAttributeAsync("aria-valuetext", "1 in use, quota 1");
        await Expect(vision.Locator("[role='meter']")).ToHaveAttributeAsync("aria-valuetext", "0 in use, quota 3");

        // A start is an event: the panel reads /v1/teams again without a reload.
        await SubmitAsync(host, "alice-key", TestJobs.Request("vision-vit", 1, TestJobs.P5, instanceCount: 2, simSeconds: 3600));
        await Expect(vision.Locator("[role='meter']")).ToHaveAttributeAsync("aria-valuetext", "2 in use, quota 3");
        await Expect(vision).ToContainTextAsync("2 / 3");
        await Expect(speech).ToContainTextAsync("1 / 1");
        await Expect(page.Locator("#running tr[data-job='vision-vit'] td.team")).ToHaveTextAsync("vision");
        await Expect(page.Locator("#running tr[data-job='speech-asr'] td.team")).ToHaveTextAsync("speech");
    }

    private Task SubmitAsync(string apiKey, CreateTrainingJobRequest request) => SubmitAsync(_host, apiKey, request);

    private static async Task SubmitAsync(QueueServiceHost host, string apiKey, CreateTrainingJobRequest request)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        var response = await http.PostAsync("/v1/jobs", JsonContent.Create(request, SageMakerJsonContext.Default.CreateTrainingJobRequest));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
