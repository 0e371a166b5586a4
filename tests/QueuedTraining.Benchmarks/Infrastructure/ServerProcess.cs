using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// The queue service as its own process (<c>dotnet QueuedTraining.Server.dll</c> from the server's build
/// output), on a free loopback port, so that its resident memory is its own and not the benchmark's.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(string repositoryRoot, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var dll = FindServerAssembly(repositoryRoot);
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");

        // Drain its output so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilReadyAsync(cancellationToken);
        return server;
    }

    /// <summary>The process's resident set size and its peak, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public (long Resident, long Peak) ReadResidentBytes()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Kilobytes(string field) =>
            long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return (Kilobytes("VmRSS:"), Kilobytes("VmHWM:"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string FindServerAssembly(string repositoryRoot)
    {
        // The benchmark's own project reference builds the server in the same configuration.
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        var path = Path.Combine(repositoryRoot, "src", "QueuedTraining.Server", "bin", configuration, "net10.0", "QueuedTraining.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the server first (dotnet build -c Release src/QueuedTraining.Server).", path);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await client.GetAsync("/v1/capacity", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException("The server did not answer within two minutes.");
    }
}
