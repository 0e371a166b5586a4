using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// The queue service as its own process on a loopback port, started as an operator starts it. For tests whose subject is
/// process-wide (OpenTelemetry listens to meters by name across a process, so in-process hosts would see each other's).
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public static async Task<ServiceProcess> StartAsync(params string[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("qt-process-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(QueuedTrainingApplication).Assembly.Location);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--QueuedTraining:Sqlite:Path={Path.Combine(folder, "jobs.db")}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var service = new ServiceProcess(Process.Start(start)!, folder, new Uri($"http://127.0.0.1:{port}"));
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync();
        return service;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var ready = await Client.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service was not ready within {Patience}:\n{Output}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
