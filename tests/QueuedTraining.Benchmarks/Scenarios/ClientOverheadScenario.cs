using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// The client decorator's CreateTrainingJob against the local service on loopback, one call at a time,
/// beside a plain HttpClient POST of the same body to the same endpoint. Calls alternate so that drift hits
/// both; the difference of the medians is what the decorator itself costs (options, priority tag, JSON,
/// the resilience pipeline, the idempotency key, reading the answer).
/// </summary>
internal sealed class ClientOverheadScenario : IBenchmarkScenario
{
    private const string Pool = "ml.p5.48xlarge";

    public string Name => "client";

    public string Description => "the decorator's CreateTrainingJob over loopback, p50, beside a plain HttpClient POST of the same request";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var samples = context.Quick ? 300 : 1500;
        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["QueuedTraining:Sqlite:Path"] = Path.Combine(context.NewFolder("client"), "jobs.db"),
                [$"QueuedTraining:Capacity:{Pool}"] = "8",
                ["QueuedTraining:Simulated:DefaultDuration"] = "10:00:00",
            });
            builder.Logging.ClearProviders();
        });
        await app.StartAsync(cancellationToken);
        var decorated = new List<long>(samples);
        var plain = new List<long>(samples);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var services = new ServiceCollection();
            services.AddQueuedSageMakerTraining(o => o.BaseAddress = address);
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<ISageMakerTrainingClient>();
            using var http = new HttpClient { BaseAddress = address };

            for (var i = -50; i < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await client.CreateTrainingJobAsync(BenchmarkJobs.Request(Formats.Invariant($"client-d-{i + 50:D6}"), 5, Pool), cancellationToken);
                var decoratedTicks = Stopwatch.GetTimestamp() - started;

                started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/v1/jobs", BenchmarkJobs.Request(Formats.Invariant($"client-p-{i + 50:D6}"), 5, Pool), SageMakerJsonContext.Default.CreateTrainingJobRequest, cancellationToken);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var plainTicks = Stopwatch.GetTimestamp() - started;

                // The first 50 pairs warm up the JIT, connection pools and the SQLite page cache.
                if (i >= 0)
                {
                    decorated.Add(decoratedTicks);
                    plain.Add(plainTicks);
                }
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }

        var d = new LatencySummary(decorated);
        var p = new LatencySummary(plain);
        var overhead = d.P50Milliseconds - p.P50Milliseconds;
        return new ScenarioResult(
            [
                new(Name, "decorator overhead at p50 (decorator − plain POST)", Formats.Ms(overhead), $"{Formats.Ms(p.P50Milliseconds)} (plain POST round trip)", "—", "≤ 1 ms", overhead <= 1.0),
                new(Name, "decorator CreateTrainingJob p50 (round trip, durable)", Formats.Ms(d.P50Milliseconds), $"{Formats.Ms(p.P50Milliseconds)} (plain POST)", Formats.Ratio(d.P50Milliseconds / p.P50Milliseconds), "—", null),
                new(Name, "decorator CreateTrainingJob p99", Formats.Ms(d.P99Milliseconds), $"{Formats.Ms(p.P99Milliseconds)} (plain POST)", Formats.Ratio(d.P99Milliseconds / p.P99Milliseconds), "—", null),
            ],
            [
                Formats.Invariant($"{samples} sequential calls each, alternating decorator and plain HttpClient after 50 warm-up pairs; the service in the same process on Kestrel at 127.0.0.1 with the SQLite store."),
                "Both round trips include the service's durable commit (an fsync), which no client can avoid; the 1 ms target is read as the decorator's own cost, the difference of the medians. The whole round trip is reported beside it.",
            ]);
    }
}
