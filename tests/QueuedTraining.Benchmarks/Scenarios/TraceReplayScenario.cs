using QueuedTraining.Benchmarks.Infrastructure;

namespace QueuedTraining.Benchmarks.Scenarios;

internal sealed class TraceReplayScenario : IBenchmarkScenario
{
    public string Name => "TraceReplay";

    public string Description => "todo";

    public Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) => throw new NotImplementedException();
}
