namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>One row of the summary table.</summary>
/// <param name="Scenario">The scenario that measured it.</param>
/// <param name="Figure">What was measured, with its unit.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Baseline">What it is compared with, measured in the same run; "—" for absolute targets.</param>
/// <param name="Ratio">Value against baseline, in the direction the target is stated.</param>
/// <param name="Target">The target.</param>
/// <param name="Met">Whether the target was met; null when the figure has no target.</param>
internal sealed record BenchmarkFigure(string Scenario, string Figure, string Value, string Baseline, string Ratio, string Target, bool? Met);
