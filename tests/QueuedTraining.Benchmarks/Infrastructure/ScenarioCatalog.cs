using QueuedTraining.Benchmarks.Scenarios;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// Every scenario, in the order <c>all</c> runs them. The client-overhead scenario (the decorator's
/// CreateTrainingJob against the local service, p50 ≤ 1 ms) plugs in here as one more
/// <see cref="IBenchmarkScenario"/> once the client SDK lands.
/// </summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IBenchmarkScenario> All { get; } =
    [
        new SubmitThroughputScenario(),
        new SchedulingLatencyScenario(),
        new TraceReplayScenario(),
        new ResidentMemoryScenario(),
    ];
}
