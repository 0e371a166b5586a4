using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// What exporting telemetry costs a submit: two service processes side by side, one with telemetry off (the default) and
/// one pushing metrics and traces over OTLP every second to a local sink, loaded in alternating rounds in the same run.
/// Separate processes, because meter and activity listeners are process-wide: in one process the "off" service would pay
/// for the other's listeners.
/// </summary>
internal sealed class TelemetryCostScenario : IBenchmarkScenario
{
    private const string Pool = "ml.p5.48xlarge";
    private const int Workers = 32;

    // OTLP requests the sink received: proof that the "on" process really exported.
    private long _exports;

    public string Name => "telemetry";

    public string Description => "POST /v1/jobs per second with OTLP metrics and traces on, beside telemetry off (two processes, same run)";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rounds = context.Quick ? 2 : 3;
        var phase = TimeSpan.FromSeconds(context.Quick ? 4 : 8);
        await using var sink = await StartSinkAsync(cancellationToken);
        var sinkAddress = sink.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await using var off = await ServerProcess.StartAsync(context.RepositoryRoot, Settings(context, "off"), cancellationToken);
        var withTelemetry = Settings(context, "on");
        withTelemetry["QueuedTraining:Telemetry:OtlpEndpoint"] = sinkAddress + "/v1/metrics";
        withTelemetry["QueuedTraining:Telemetry:OtlpTracesEndpoint"] = sinkAddress + "/v1/traces";
        withTelemetry["QueuedTraining:Telemetry:OtlpProtocol"] = "HttpProtobuf";
        withTelemetry["QueuedTraining:Telemetry:OtlpExportInterval"] = "00:00:01";
        await using var on = await ServerProcess.StartAsync(context.RepositoryRoot, withTelemetry, cancellationToken);

        var template = JsonSerializer.Serialize(BenchmarkJobs.Request("NAME_PLACEHOLDER", 5, Pool), SageMakerJsonContext.Default.CreateTrainingJobRequest);
        var sequence = 0L;
        (string, string) Body()
        {
            var name = Formats.Invariant($"telemetry-{Interlocked.Increment(ref sequence):D7}");
            return (name, template.Replace("NAME_PLACEHOLDER", name, StringComparison.Ordinal));
        }

        using var offLoad = new HttpLoadGenerator(off.BaseAddress, Workers);
        using var onLoad = new HttpLoadGenerator(on.BaseAddress, Workers);
        var warmUp = TimeSpan.FromSeconds(context.Quick ? 1 : 4);
        for (var pass = 0; pass < 2; pass++)
        {
            await offLoad.RunAsync("/v1/jobs", Body, warmUp, cancellationToken);
            await onLoad.RunAsync("/v1/jobs", Body, warmUp, cancellationToken);
        }

        var offRuns = new List<LoadRun>();
        var onRuns = new List<LoadRun>();
        for (var round = 0; round < rounds; round++)
        {
            offRuns.Add(await offLoad.RunAsync("/v1/jobs", Body, phase, cancellationToken));
            onRuns.Add(await onLoad.RunAsync("/v1/jobs", Body, phase, cancellationToken));
            BenchmarkLog.Write(Formats.Invariant($"telemetry round {round + 1}: off {offRuns[^1].RequestsPerSecond:N0}/s, on {onRuns[^1].RequestsPerSecond:N0}/s"));
        }

        return Summarise(offRuns, onRuns, Interlocked.Read(ref _exports), rounds, phase);
    }

    private ScenarioResult Summarise(List<LoadRun> offRuns, List<LoadRun> onRuns, long exports, int rounds, TimeSpan phase)
    {
        static double Rate(List<LoadRun> runs) => runs.Sum(r => r.LatencyTicks.Count) / runs.Sum(r => r.Elapsed.TotalSeconds);
        var offRate = Rate(offRuns);
        var onRate = Rate(onRuns);
        var ratio = onRate / offRate;
        var offLatency = new LatencySummary(offRuns.SelectMany(r => r.LatencyTicks));
        var onLatency = new LatencySummary(onRuns.SelectMany(r => r.LatencyTicks));
        var figures = new List<BenchmarkFigure>
        {
            new(Name, "POST /v1/jobs, OTLP metrics + traces on", Formats.PerSecond(onRate), $"{Formats.PerSecond(offRate)} (telemetry off)", Formats.Percent(ratio), "≥ 90 % of off", ratio >= 0.9),
            new(Name, "POST /v1/jobs latency p50, telemetry on", Formats.Ms(onLatency.P50Milliseconds), $"{Formats.Ms(offLatency.P50Milliseconds)} (off)", Formats.Ratio(onLatency.P50Milliseconds / offLatency.P50Milliseconds), "—", null),
        };
        var details = new List<string>
        {
            Formats.Invariant($"Two service processes (SQLite each, simulated SageMaker, console logging at Warning), {Workers} closed-loop workers each from the benchmark process; {rounds} rounds of {phase.TotalSeconds:0} s, alternating off and on, after two alternating warm-ups."),
            Formats.Invariant($"On: metrics and traces over OTLP/HTTP protobuf every second to a sink in the benchmark process that answers 200 ({exports} exports received). Non-202 answers: off {offRuns.Sum(r => r.Failures)}, on {onRuns.Sum(r => r.Failures)}."),
            "",
            "| round | off req/s | on req/s | ratio |",
            "| ---: | ---: | ---: | ---: |",
        };
        for (var i = 0; i < offRuns.Count; i++)
        {
            details.Add(Formats.Invariant($"| {i + 1} | {Formats.PerSecond(offRuns[i].RequestsPerSecond)} | {Formats.PerSecond(onRuns[i].RequestsPerSecond)} | {Formats.Percent(onRuns[i].RequestsPerSecond / offRuns[i].RequestsPerSecond)} |"));
        }

        return new ScenarioResult(figures, details);
    }

    private static Dictionary<string, string> Settings(BenchmarkContext context, string name) => new()
    {
        ["QueuedTraining:Sqlite:Path"] = Path.Combine(context.NewFolder("telemetry-" + name), "jobs.db"),
        [$"QueuedTraining:Capacity:{Pool}"] = "8",
        ["QueuedTraining:Simulated:DefaultDuration"] = "10:00:00",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private async Task<WebApplication> StartSinkAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var sink = builder.Build();
        sink.MapPost("/{**signal}", async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            Interlocked.Increment(ref _exports);
            return Results.Ok();
        });
        await sink.StartAsync(cancellationToken);
        return sink;
    }
}
