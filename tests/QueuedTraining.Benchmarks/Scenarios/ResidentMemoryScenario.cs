using QueuedTraining.Benchmarks.Infrastructure;

namespace QueuedTraining.Benchmarks.Scenarios;

internal sealed class ResidentMemoryScenario : IBenchmarkScenario
{
    public string Name => "ResidentMemory";

    public string Description => "todo";

    public Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) => throw new NotImplementedException();
}
