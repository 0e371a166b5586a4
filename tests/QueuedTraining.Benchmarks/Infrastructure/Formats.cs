using System.Globalization;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Numbers as the results file shows them: invariant culture, few digits.</summary>
internal static class Formats
{
    public static string Ms(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string PerSecond(double rate) => rate.ToString("N0", CultureInfo.InvariantCulture) + "/s";

    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
