using System.Runtime.InteropServices;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>What the results were measured on, as the results file states it.</summary>
internal static class MachineDescription
{
    public static IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            $"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}",
            $"- Processors (`nproc`): {Environment.ProcessorCount}; CPU: {ReadCpuModel()}",
            $"- Memory: {ReadMemTotal()}",
            $"- OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            $"- .NET runtime: {RuntimeInformation.FrameworkDescription}",
        };
        return lines;
    }

    public static string ReadLoadAverage() => TryRead("/proc/loadavg")?.Trim() ?? "unknown";

    private static string ReadCpuModel() =>
        TryRead("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static string ReadMemTotal() =>
        TryRead("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
