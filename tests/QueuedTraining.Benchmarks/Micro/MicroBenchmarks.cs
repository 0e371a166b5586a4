using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace QueuedTraining.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet micro-benchmarks in process (no generated project to restore offline).</summary>
internal static class MicroBenchmarks
{
    public static void Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes([typeof(SubmitPathBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
