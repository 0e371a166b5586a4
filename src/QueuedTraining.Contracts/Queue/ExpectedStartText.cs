using System.Globalization;

namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// A waiting job's place and expected start in words, as people read them: "3rd in line; expected to start in 40 min –
/// 2 h 10 min". One wording for every surface that shows it: the SageMaker-compatible status message, the client's
/// waiter progress and the PowerShell module.
/// </summary>
public static class ExpectedStartText
{
    /// <summary>"3rd in line; expected to start in 40 min – 2 h 10 min", or null when <paramref name="job"/> does not wait.</summary>
    /// <param name="job">The job as the queue shows it.</param>
    /// <param name="now">The time the range is counted from.</param>
    /// <returns>The place in line and, when forecast, the expected start; null for a job without a place in line.</returns>
    public static string? Describe(TrainingJobResource job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.QueuePosition is not { } position)
        {
            return null;
        }

        var place = Ordinal(position) + " in line";
        return job.ExpectedStart is { } expected ? place + "; " + Range(expected, now) : place;
    }

    /// <summary>"expected to start in 40 min – 2 h 10 min", counted from <paramref name="now"/>.</summary>
    /// <param name="expected">The forecast range.</param>
    /// <param name="now">The time the range is counted from.</param>
    /// <returns>The range in words.</returns>
    public static string Range(ExpectedStartResource expected, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Latest <= now)
        {
            return "expected to start any moment";
        }

        return expected.Earliest <= now
            ? "expected to start within " + Duration(expected.Latest - now)
            : "expected to start in " + Duration(expected.Earliest - now) + " – " + Duration(expected.Latest - now);
    }

    /// <summary>"1st", "2nd", "3rd", "11th", "22nd".</summary>
    /// <param name="number">A positive number.</param>
    /// <returns>The number as an English ordinal.</returns>
    public static string Ordinal(long number)
    {
        var suffix = (number % 100) is 11 or 12 or 13 ? "th" : (number % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return number.ToString("N0", CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>"40 min", "2 h 10 min", "3 h", "2 d 5 h"; never less than a minute.</summary>
    /// <param name="duration">A duration.</param>
    /// <returns>The duration rounded to minutes (hours beyond two days).</returns>
    public static string Duration(TimeSpan duration)
    {
        var minutes = Math.Max(1, (long)Math.Round(duration.TotalMinutes));
        if (minutes < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{minutes} min");
        }

        if (minutes < 48 * 60)
        {
            return minutes % 60 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h")
                : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60} min");
        }

        var hours = (long)Math.Round(duration.TotalHours);
        return hours % 24 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24} d")
            : string.Create(CultureInfo.InvariantCulture, $"{hours / 24} d {hours % 24} h");
    }
}
