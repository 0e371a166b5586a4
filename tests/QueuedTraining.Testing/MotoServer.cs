using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace QueuedTraining.Testing;

/// <summary>
/// A real moto_server (SageMaker, DynamoDB, …) on a free loopback port, started by the tests that need it. It is found on PATH (or at
/// <c>MOTO_SERVER</c>); if it is missing or does not start, every test fails with the reason: never skipped.
/// </summary>
public class MotoServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The server's endpoint once started.</summary>
    public Uri ServiceUrl { get; private set; } = new("http://127.0.0.1:1");

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        // Tests give keys explicitly; this only stops the SDK probing instance metadata if anything falls back.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var executable = FindMotoServer();
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilListeningAsync(port);
    }

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // The PATH entry may be a shim script, so stop the whole tree this fixture started.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static string FindMotoServer()
    {
        var configured = Environment.GetEnvironmentVariable("MOTO_SERVER");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"MOTO_SERVER is {configured}, which does not exist.");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "moto_server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "moto_server is not on PATH. Install it (pip install 'moto[server]==5.2.1') or set MOTO_SERVER; these tests need a real server.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"moto_server did not listen on port {port} within {StartTimeout}:\n{Output()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}

