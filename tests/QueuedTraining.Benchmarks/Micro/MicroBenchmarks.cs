namespace QueuedTraining.Benchmarks.Micro;

internal static class MicroBenchmarks
{
    public static void Run(string[] args) => throw new NotImplementedException();
}
