using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing.Server;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// OpenTelemetry listens to meters by name across the whole process, so a host exporting metrics must not run beside
/// other hosts whose engines publish a meter of the same name: this class runs alone.
/// </summary>
[CollectionDefinition(nameof(TelemetryExportTests), DisableParallelization = true)]
public sealed class TelemetryExportRunsAlone;

/// <summary>Metrics leave the service only when asked: a Prometheus scrape endpoint, or OTLP.</summary>
[Collection(nameof(TelemetryExportTests))]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Metrics_PrometheusOn_ScrapeListsTheEnginesInstruments()
    {
        // Its own process: only this service's meter is in it.
        await using var service = await ServiceProcess.StartAsync(
            "--QueuedTraining:Telemetry:Prometheus=true", $"--QueuedTraining:Capacity:{TrainingJobs.SmallPool}=1");
        var name = TrainingJobs.UniqueName("scraped");
        using (var submitted = await service.Client.PostAsync(
            "/v1/jobs",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(TrainingJobs.New(name), QueuedTraining.Contracts.SageMaker.SageMakerJsonContext.Default.CreateTrainingJobRequest), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        await Polling.UntilAsync(
            async () => (await service.Client.GetStringAsync($"/v1/jobs/{name}")).Contains("\"state\":\"running\"", StringComparison.Ordinal),
            "the job running");

        // The start is counted just after the job's write that the API shows, and a scrape's answer is cached briefly.
        var status = HttpStatusCode.OK;
        var text = string.Empty;
        await Polling.UntilAsync(async () =>
        {
            using var scrape = await service.Client.GetAsync("/metrics");
            status = scrape.StatusCode;
            text = await scrape.Content.ReadAsStringAsync();
            return status != HttpStatusCode.OK || text.Contains("queuedtraining_job_starts_total{", StringComparison.Ordinal);
        }, "a scrape that counts the start");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("queuedtraining_job_starts_total{", text, StringComparison.Ordinal);
        Assert.Contains($"queuedtraining_pool=\"{TrainingJobs.SmallPool}\"", text, StringComparison.Ordinal);
        Assert.Contains("queuedtraining_pool_instances{", text, StringComparison.Ordinal);
        Assert.Contains("queuedtraining_pool_jobs_waiting{", text, StringComparison.Ordinal);
        Assert.Contains("queuedtraining_sagemaker_calls_total{", text, StringComparison.Ordinal);
        Assert.Contains("queuedtraining_job_wait_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("queuedtraining_scheduler_pass_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ByDefault_ServesNoScrapeEndpoint()
    {
        await using var service = await RunningQueueService.StartAsync();

        using var scrape = await service.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }

    [Fact]
    public async Task Metrics_OtlpEndpointSet_PushesTheMeterToTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var service = await RunningQueueService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["QueuedTraining:Telemetry:OtlpEndpoint"] = collector.MetricsUrl.ToString(),
            ["QueuedTraining:Telemetry:OtlpProtocol"] = "HttpProtobuf",
            ["QueuedTraining:Telemetry:OtlpExportInterval"] = "00:00:00.200",
        });
        var name = TrainingJobs.UniqueName("pushed");
        using (var submitted = await service.SubmitAsync(TrainingJobs.New(name, "ml.g5.xlarge")))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        await service.WaitForStateAsync(name, JobState.Running);

        // OTLP bodies are protobuf, whose strings are plain UTF-8: the meter's and instruments' names show in them.
        await Polling.UntilAsync(
            () => Task.FromResult(collector.Bodies.Any(body => body.Contains("queuedtraining.job.starts", StringComparison.Ordinal))),
            "an OTLP export with queuedtraining.job.starts");
        var export = collector.Bodies.First(body => body.Contains("queuedtraining.job.starts", StringComparison.Ordinal));
        Assert.Contains("QueuedTraining", export, StringComparison.Ordinal);
        Assert.Contains("queuedtraining.pool", export, StringComparison.Ordinal);
    }

    /// <summary>An OTLP/HTTP endpoint on loopback that keeps every metrics body it is sent.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpReceiver(WebApplication app, Uri metricsUrl)
        {
            _app = app;
            MetricsUrl = metricsUrl;
        }

        public ConcurrentQueue<string> Bodies { get; } = new();

        public Uri MetricsUrl { get; }

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            OtlpReceiver? receiver = null;
            app.MapPost("/v1/metrics", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                receiver!.Bodies.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver = new OtlpReceiver(app, new Uri(address.TrimEnd('/') + "/v1/metrics"));
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
