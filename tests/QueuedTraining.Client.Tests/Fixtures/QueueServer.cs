using QueuedTraining.Backends.Simulated;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>The real queue service in process (see <see cref="QueueServiceHost"/>) with one pool for the client's tests.</summary>
internal sealed class QueueServer : IAsyncDisposable
{
    public const string InstanceType = "ml.p5.48xlarge";

    private readonly QueueServiceHost _host;

    private QueueServer(QueueServiceHost host) => _host = host;

    public Uri BaseAddress => _host.BaseUrl;

    public IServiceProvider Services => _host.Services;

    /// <summary>The simulated SageMaker the server starts attempts on.</summary>
    public SimulatedSageMaker SageMaker => _host.SimulatedSageMaker;

    public static async Task<QueueServer> StartAsync(int capacity = 2, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"QueuedTraining:Capacity:{InstanceType}"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QueuedTraining:ReconcileInterval"] = "00:00:01",
            ["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.5",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return new QueueServer(await QueueServiceHost.StartAsync(configuration));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
