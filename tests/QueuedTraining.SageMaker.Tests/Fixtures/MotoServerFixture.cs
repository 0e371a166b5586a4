using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace QueuedTraining.SageMaker.Tests.Fixtures;

/// <summary>
/// Starts a real <c>moto_server</c> on a free loopback port for the test class and stops it afterwards.
/// A missing <c>moto_server</c> fails the tests: they are the client's proof against a real peer.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The server's URL, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = LoopbackPort.GetFree();
        var start = new ProcessStartInfo("moto_server")
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["AWS_EC2_METADATA_DISABLED"] = "true" },
        };

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("moto_server (moto 5.2.1) must be on PATH for these tests: pip install 'moto[server]==5.2.1'.", exception);
        }

        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        ServiceUrl = new Uri($"http://127.0.0.1:{port}/");
        await WaitUntilListeningAsync(port);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"moto_server did not listen on port {port} within 60 s: {Output}");
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
