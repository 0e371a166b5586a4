using QueuedTraining.Benchmarks.Scenarios;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Every scenario, in the order <c>all</c> runs them; a new scenario is one more <see cref="IBenchmarkScenario"/> here.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IBenchmarkScenario> All { get; } =
    [
        new SubmitThroughputScenario(),
        new SchedulingLatencyScenario(),
        new TeamSchedulingScenario(),
        new TraceReplayScenario(),
        new TeamTraceReplayScenario(),
        new PreemptionCostScenario(),
        new ResidentMemoryScenario(),
        new ClientOverheadScenario(),
        new Scenarios.Forecast.ForecastBacktestScenario(),
        new Scenarios.Forecast.ForecastCostScenario(),
        new TelemetryCostScenario(),
    ];
}
