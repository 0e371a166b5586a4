using System.Diagnostics;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Percentiles of a set of latencies measured as <see cref="Stopwatch"/> ticks.</summary>
internal sealed class LatencySummary
{
    private readonly long[] _sorted;

    public LatencySummary(IEnumerable<long> stopwatchTicks)
    {
        _sorted = [.. stopwatchTicks];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P50Milliseconds => Percentile(0.50);

    public double P99Milliseconds => Percentile(0.99);

    /// <summary>Nearest-rank percentile, in milliseconds.</summary>
    public double Percentile(double fraction)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * _sorted.Length) - 1;
        return _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
