using System.Globalization;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// How long attempts of one job are expected to hold their instances: the recent runtimes it is judged by, sorted, or
/// none (then runtimes are taken as spread evenly between zero and MaxRuntime, the only bound known), always capped by
/// the job's MaxRuntime.
/// </summary>
/// <param name="Runtimes">Recent runtimes of its family, or of its pool scaled to its MaxRuntime; ascending.</param>
/// <param name="MaxRuntime">The job's bound.</param>
/// <param name="Basis">What the estimate rests on, in words.</param>
internal sealed record DurationEstimate(IReadOnlyList<TimeSpan> Runtimes, TimeSpan MaxRuntime, string Basis)
{
    /// <summary>The low quantile <c>earliest</c> uses: one run in ten is shorter.</summary>
    public const double Early = 0.1;

    /// <summary>The median, which <c>likely</c> uses.</summary>
    public const double Median = 0.5;

    /// <summary>
    /// The <paramref name="quantile"/> of the runtime of an attempt that has already run for <paramref name="elapsed"/>:
    /// only runs at least that long count (an attempt past most of its family's runs is one of the long ones). When no
    /// recorded run lasted that long the attempt is taken to end now. Never above MaxRuntime, never below elapsed.
    /// </summary>
    public TimeSpan Quantile(double quantile, TimeSpan elapsed)
    {
        if (elapsed >= MaxRuntime)
        {
            return MaxRuntime;
        }

        TimeSpan value;
        if (Runtimes.Count == 0)
        {
            value = elapsed + ((MaxRuntime - elapsed) * quantile);
        }
        else
        {
            var first = 0;
            while (first < Runtimes.Count && Runtimes[first] < elapsed)
            {
                first++;
            }

            var left = Runtimes.Count - first;
            value = left == 0 ? elapsed : Runtimes[first + NearestRank(quantile, left)];
        }

        return value > MaxRuntime ? MaxRuntime : value < elapsed ? elapsed : value;
    }

    /// <summary>The zero-based nearest-rank index of <paramref name="quantile"/> in <paramref name="count"/> sorted values.</summary>
    public static int NearestRank(double quantile, int count) => Math.Clamp((int)Math.Ceiling(quantile * count) - 1, 0, count - 1);

    /// <summary>A duration as people read it: "2 h 05", "40 min", "45 s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration >= TimeSpan.FromHours(1))
        {
            var minutes = (long)Math.Round(duration.TotalMinutes);
            return string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60:00}");
        }

        return duration >= TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(duration.TotalMinutes)} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(duration.TotalSeconds)} s");
    }
}
