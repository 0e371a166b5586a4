using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Stores.Sqlite;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// The service's resident memory (VmRSS of its own process) with 100,000 jobs waiting, beside the same
/// service idle on an empty database, both after the same warm-up requests and a few scheduler passes.
/// The 100,000 jobs are written into the database file through <see cref="SqliteJobStore.AddAsync"/>
/// before the service starts on it.
/// </summary>
internal sealed class ResidentMemoryScenario : IBenchmarkScenario
{
    private const string Pool = "ml.p5.48xlarge";
    private const int Waiting = 100_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public string Name => "memory";

    public string Description => "the service's resident memory with 100,000 jobs waiting, beside the same service idle";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var idlePath = Path.Combine(context.NewFolder("memory-idle"), "jobs.db");
        var fullPath = Path.Combine(context.NewFolder("memory-full"), "jobs.db");
        await SeedAsync(fullPath, cancellationToken);

        var idle = await MeasureAsync(context, idlePath, cancellationToken);
        var full = await MeasureAsync(context, fullPath, cancellationToken);
        var ratio = (double)full.Resident / idle.Resident;
        var figures = new List<BenchmarkFigure>
        {
            new(Name, $"resident memory, {Formats.Count(Waiting)} waiting", Formats.MiB(full.Resident), $"{Formats.MiB(idle.Resident)} (idle, empty queue)", Formats.Ratio(ratio), "≤ 150 MB", full.Resident <= 150L * 1000 * 1000),
        };
        var details = new List<string>
        {
            "The server runs as its own process (`dotnet src/QueuedTraining.Server/bin/<configuration>/net10.0/QueuedTraining.Server.dll`, default GC settings, SQLite store, simulated backend, capacity 8).",
            Formats.Invariant($"After it answers, each run submits 200 jobs over HTTP, lists a page of 100 and reads capacity, then waits {Settle.TotalSeconds:0} s (scheduler passes and reconciliation run) before VmRSS is read."),
            "",
            "| run | VmRSS | VmHWM (peak) |",
            "| --- | ---: | ---: |",
            $"| idle, empty queue | {Formats.MiB(idle.Resident)} | {Formats.MiB(idle.Peak)} |",
            $"| {Formats.Count(Waiting)} waiting | {Formats.MiB(full.Resident)} | {Formats.MiB(full.Peak)} |",
            "",
            "The target reads 150 MB; the check compares against 150 × 10^6 bytes (143 MiB).",
        };
        return new ScenarioResult(figures, details);
    }

    private static async Task SeedAsync(string databasePath, CancellationToken cancellationToken)
    {
        var store = new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = databasePath }));
        await using (store)
        {
            await JobSeeder.SeedAsync(store, "waiting", Waiting, Pool, seed: 5, cancellationToken);
        }

        SqliteConnection.ClearAllPools();
    }

    private static async Task<(long Resident, long Peak)> MeasureAsync(BenchmarkContext context, string databasePath, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["QueuedTraining:Sqlite:Path"] = databasePath,
            [$"QueuedTraining:Capacity:{Pool}"] = "8",
            ["QueuedTraining:ReconcileInterval"] = "00:00:01",
            ["QueuedTraining:Simulated:DefaultDuration"] = "10:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var server = await ServerProcess.StartAsync(context.RepositoryRoot, settings, cancellationToken);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        for (var i = 0; i < 200; i++)
        {
            var json = JsonSerializer.Serialize(BenchmarkJobs.Request(Formats.Invariant($"extra-{i:D3}"), i % 10, Pool), SageMakerJsonContext.Default.CreateTrainingJobRequest);
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/v1/jobs", content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        (await client.GetAsync("/v1/jobs?pageSize=100", cancellationToken)).EnsureSuccessStatusCode();
        (await client.GetAsync("/v1/capacity", cancellationToken)).EnsureSuccessStatusCode();
        await Task.Delay(Settle, cancellationToken);
        var memory = server.ReadResidentBytes();
        BenchmarkLog.Write($"memory: {Path.GetFileName(Path.GetDirectoryName(databasePath))}: VmRSS {Formats.MiB(memory.Resident)}");
        return memory;
    }
}
