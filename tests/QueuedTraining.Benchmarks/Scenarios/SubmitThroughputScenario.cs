using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// Durable POST /v1/jobs per second through Kestrel on loopback with the SQLite store, beside a no-op POST
/// endpoint of the same server (same middleware, authorization and body read, no store), in the same run.
/// The two alternate in rounds so that drift in the machine's load hits both. Afterwards every job
/// acknowledged with 202 is looked up in the database file: durability is part of the figure.
/// </summary>
internal sealed class SubmitThroughputScenario : IBenchmarkScenario
{
    private const string NoOpPath = "/bench/no-op";
    private const string SubmitPath = "/v1/jobs";
    private const string Pool = "ml.p5.48xlarge";
    // Enough concurrent requests that the SQLite writer can group them into shared commits; 32-512 were tried and gave the same rates.
    private const int Workers = 64;

    public string Name => "submit";

    public string Description => "durable POST /v1/jobs per second (SQLite, Kestrel on loopback) beside a no-op POST endpoint of the same server";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rounds = context.Quick ? 2 : 3;
        var phase = TimeSpan.FromSeconds(context.Quick ? 4 : 8);
        var databasePath = Path.Combine(context.NewFolder("submit"), "jobs.db");
        var template = JsonSerializer.Serialize(BenchmarkJobs.Request("NAME_PLACEHOLDER", 5, Pool), SageMakerJsonContext.Default.CreateTrainingJobRequest);
        var sequence = 0L;
        (string, string) Body()
        {
            // One counter for every run of the scenario, so no name repeats (a repeat would answer 200, not 202).
            var name = Formats.Invariant($"submit-{Interlocked.Increment(ref sequence):D7}");
            return (name, template.Replace("NAME_PLACEHOLDER", name, StringComparison.Ordinal));
        }

        var app = Build(databasePath);
        await app.StartAsync(cancellationToken);
        var noOp = new List<LoadRun>();
        var submit = new List<LoadRun>();
        var warmUpSubmit = new List<LoadRun>();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var load = new HttpLoadGenerator(address, Workers);

            // Warm-up: JIT, connection pools, SQLite page cache. Its jobs stay in the queue and are counted in the check.
            // Two alternations: after a single one, the tier-1 JIT of the submit path was still compiling through the
            // first measured no-op round (which then ran at half its later rate and flattered that round's ratio).
            var warmUp = TimeSpan.FromSeconds(context.Quick ? 1 : 4);
            for (var pass = 0; pass < 2; pass++)
            {
                await load.RunAsync(NoOpPath, Body, warmUp, cancellationToken);
                warmUpSubmit.Add(await load.RunAsync(SubmitPath, Body, warmUp, cancellationToken));
            }

            for (var round = 0; round < rounds; round++)
            {
                noOp.Add(await load.RunAsync(NoOpPath, Body, phase, cancellationToken));
                submit.Add(await load.RunAsync(SubmitPath, Body, phase, cancellationToken));
                BenchmarkLog.Write(Formats.Invariant($"submit round {round + 1}: no-op {noOp[^1].RequestsPerSecond:N0}/s ({noOp[^1].CpuMicrosecondsPerRequest:N0} µs CPU each), submit {submit[^1].RequestsPerSecond:N0}/s ({submit[^1].CpuMicrosecondsPerRequest:N0} µs CPU each)"));
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }

        var acknowledged = warmUpSubmit.Concat(submit).SelectMany(r => r.Acknowledged).ToList();
        return Summarise(noOp, submit, acknowledged.Count, CountMissing(databasePath, acknowledged), rounds, phase);
    }

    private static WebApplication Build(string databasePath)
    {
        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["QueuedTraining:Sqlite:Path"] = databasePath,
                [$"QueuedTraining:Capacity:{Pool}"] = "8",
                ["QueuedTraining:Simulated:DefaultDuration"] = "10:00:00",
            });

            // Per-request Information logs would measure the console, not the queue; production ships logs elsewhere.
            builder.Logging.ClearProviders();
        });

        // The baseline: the same pipeline (routing, authentication, authorization) and a full read of the
        // same body, answering 202 with a small JSON body, but no parsing and no store.
        app.MapPost(NoOpPath, async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            return Results.Text("{\"state\":\"pending\"}", "application/json", statusCode: StatusCodes.Status202Accepted);
        }).RequireAuthorization();
        return app;
    }

    /// <summary>Reads every job name from the database file after the service stopped; returns how many acknowledged names are absent.</summary>
    private static long CountMissing(string databasePath, IEnumerable<string> acknowledged)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM jobs";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        return acknowledged.LongCount(name => !stored.Contains(name));
    }

    private ScenarioResult Summarise(List<LoadRun> noOp, List<LoadRun> submit, long acknowledgedTotal, long missing, int rounds, TimeSpan phase)
    {
        static double Rate(List<LoadRun> runs) => runs.Sum(r => r.LatencyTicks.Count) / runs.Sum(r => r.Elapsed.TotalSeconds);
        var noOpRate = Rate(noOp);
        var submitRate = Rate(submit);
        var noOpLatency = new LatencySummary(noOp.SelectMany(r => r.LatencyTicks));
        var submitLatency = new LatencySummary(submit.SelectMany(r => r.LatencyTicks));
        var ratio = submitRate / noOpRate;
        var durable = missing == 0 && submit.All(r => r.Failures == 0);
        var figures = new List<BenchmarkFigure>
        {
            new(Name, "POST /v1/jobs, durable (SQLite)", Formats.PerSecond(submitRate), $"{Formats.PerSecond(noOpRate)} (no-op POST)", Formats.Percent(ratio), "≥ 50 % of no-op, every ack durable", ratio >= 0.5 && durable),
            new(Name, "POST /v1/jobs latency p50", Formats.Ms(submitLatency.P50Milliseconds), $"{Formats.Ms(noOpLatency.P50Milliseconds)} (no-op)", Formats.Ratio(submitLatency.P50Milliseconds / noOpLatency.P50Milliseconds), "—", null),
            new(Name, "POST /v1/jobs latency p99", Formats.Ms(submitLatency.P99Milliseconds), $"{Formats.Ms(noOpLatency.P99Milliseconds)} (no-op)", Formats.Ratio(submitLatency.P99Milliseconds / noOpLatency.P99Milliseconds), "—", null),
            new(Name, "acknowledged jobs missing from the database", Formats.Count(missing), $"{Formats.Count(acknowledgedTotal)} acknowledged", "—", "0", missing == 0),
        };
        var details = new List<string>
        {
            Formats.Invariant($"{Workers} concurrent HttpClient workers (closed loop) in the benchmark process, the service in the same process on Kestrel at 127.0.0.1; {rounds} rounds of {phase.TotalSeconds:0} s per endpoint, alternating no-op and submit, after two alternating warm-ups of each."),
            "Every job has a unique name and no idempotency key; the queue grows through the run (the service answers each submit with the job's queue position, counted from the index).",
            "Console logging is off for both endpoints. Durability: after the service stopped, every name acknowledged with 202 was looked up in the SQLite file.",
            Formats.Invariant($"Non-202 answers: submit {submit.Sum(r => r.Failures)}, no-op {noOp.Sum(r => r.Failures)}."),
            "",
            "| round | no-op req/s | submit req/s | ratio | no-op CPU/request | submit CPU/request |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        };
        for (var i = 0; i < noOp.Count; i++)
        {
            details.Add(Formats.Invariant($"| {i + 1} | {Formats.PerSecond(noOp[i].RequestsPerSecond)} | {Formats.PerSecond(submit[i].RequestsPerSecond)} | {Formats.Percent(submit[i].RequestsPerSecond / noOp[i].RequestsPerSecond)} | {noOp[i].CpuMicrosecondsPerRequest:N0} µs | {submit[i].CpuMicrosecondsPerRequest:N0} µs |"));
        }

        details.Add("");
        details.Add("CPU/request: the process's CPU time (load generator and service together, on all cores) over the round, per request.");

        return new ScenarioResult(figures, details);
    }
}
