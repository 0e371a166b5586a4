using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Server;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>The real queue service, in process on a loopback port, on its own SQLite file and simulated SageMaker.</summary>
internal sealed class QueueServer : IAsyncDisposable
{
    public const string InstanceType = "ml.p5.48xlarge";

    private readonly WebApplication _app;
    private readonly string _directory;

    private QueueServer(WebApplication app, string directory, Uri baseAddress)
    {
        _app = app;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The simulated SageMaker the server starts attempts on.</summary>
    public SimulatedSageMaker SageMaker => _app.Services.GetRequiredService<SimulatedSageMaker>();

    public static async Task<QueueServer> StartAsync(int capacity = 2, IDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "qt-client-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = new Dictionary<string, string?>
        {
            ["QueuedTraining:Sqlite:Path"] = Path.Combine(directory, "queue.db"),
            [$"QueuedTraining:Capacity:{InstanceType}"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QueuedTraining:ReconcileInterval"] = "00:00:01",
            ["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.5",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new QueueServer(app, directory, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
