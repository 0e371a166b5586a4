namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>How a set of forecasts fared against the actual starts: coverage of the range, its median width and median absolute errors.</summary>
internal sealed record Accuracy(double Coverage, double Early, double Late, TimeSpan Likely, TimeSpan MaxRuntimeOnly, TimeSpan ByPosition, TimeSpan Width)
{
    public static Accuracy Of(IReadOnlyList<(ForecastSample Sample, DateTimeOffset Actual)> items)
    {
        var early = items.Count(i => i.Actual < i.Sample.Forecast.Earliest);
        var late = items.Count(i => i.Actual > i.Sample.Forecast.Latest);
        return new Accuracy(
            1 - ((double)(early + late) / items.Count),
            (double)early / items.Count,
            (double)late / items.Count,
            Median(items.Select(i => Abs(i.Sample.Forecast.Likely - i.Actual))),
            Median(items.Select(i => Abs(i.Sample.MaxRuntimeOnly - i.Actual))),
            Median(items.Select(i => Abs(i.Sample.ByPosition - i.Actual))),
            Median(items.Select(i => i.Sample.Forecast.Latest - i.Sample.Forecast.Earliest)));
    }

    public static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[sorted.Count / 2];
    }

    private static TimeSpan Abs(TimeSpan value) => value < TimeSpan.Zero ? -value : value;
}
