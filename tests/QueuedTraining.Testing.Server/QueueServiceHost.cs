using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server;

namespace QueuedTraining.Testing.Server;

/// <summary>
/// The real queue service (<see cref="QueuedTrainingApplication.Build"/>) on a free loopback port with a SQLite
/// file of its own. Settings given override the defaults here. Set QT_TEST_LOGS=1 to see its log on the console.
/// </summary>
public sealed class QueueServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _ownedDirectory;

    private QueueServiceHost(WebApplication app, string databasePath, string? ownedDirectory, Uri baseUrl)
    {
        _app = app;
        _ownedDirectory = ownedDirectory;
        DatabasePath = databasePath;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    static QueueServiceHost()
    {
        // The AWS SDK's credential and region chains must never probe EC2 instance metadata here.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>The service's root URL, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client for the v1 API (anonymous: loopback callers are the operator in auth mode None).</summary>
    public HttpClient Http { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The SQLite file the service keeps its jobs in.</summary>
    public string DatabasePath { get; }

    /// <summary>The simulated SageMaker the service starts attempts on (with the simulated backend).</summary>
    public QueuedTraining.Backends.Simulated.SimulatedSageMaker SimulatedSageMaker =>
        _app.Services.GetRequiredService<QueuedTraining.Backends.Simulated.SimulatedSageMaker>();

    /// <summary>
    /// Starts the service. Without <paramref name="databasePath"/> it gets a temp folder of its own, removed on
    /// dispose; with one (a restart test), the file outlives the host. <paramref name="services"/> registers services
    /// before the service's own, which add themselves with <c>TryAdd</c> (so a store decorator given here wins).
    /// </summary>
    public static async Task<QueueServiceHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        string? databasePath = null,
        Action<IServiceCollection>? services = null)
    {
        string? ownedDirectory = null;
        if (databasePath is null)
        {
            ownedDirectory = Path.Combine(Path.GetTempPath(), "qt-service-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(ownedDirectory);
            databasePath = Path.Combine(ownedDirectory, "queue.db");
        }

        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["QueuedTraining:Store"] = "Sqlite",
            ["QueuedTraining:Sqlite:Path"] = databasePath,
            ["QueuedTraining:ReconcileInterval"] = "00:00:00.200",
            ["QueuedTraining:StartRetryBaseDelay"] = "00:00:00.050",
            ["QueuedTraining:StartRetryMaxDelay"] = "00:00:00.400",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            services?.Invoke(builder.Services);
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("QT_TEST_LOGS") == "1")
            {
                builder.Logging.AddSimpleConsole();
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new QueueServiceHost(app, databasePath, ownedDirectory, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Queues a job through <c>POST /v1/jobs</c>.</summary>
    public async Task SubmitAsync(CreateTrainingJobRequest request)
    {
        using var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.CreateTrainingJobRequest));
        content.Headers.ContentType = new("application/json");
        using var response = await Http.PostAsync("v1/jobs", content);
        Assert.True(response.IsSuccessStatusCode, $"Submitting {request.TrainingJobName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The job as <c>GET /v1/jobs/{name}</c> shows it.</summary>
    public async Task<TrainingJobResource> GetJobAsync(string name)
    {
        var job = await Http.GetFromJsonAsync($"v1/jobs/{Uri.EscapeDataString(name)}", QueueJsonContext.Default.TrainingJobResource);
        return job ?? throw new InvalidOperationException($"GET /v1/jobs/{name} answered null.");
    }

    /// <summary>Posts an EventBridge "SageMaker Training Job State Change" event, as an API destination does.</summary>
    public async Task<HttpResponseMessage> PostEventAsync(string trainingJobName, string status, string? failureReason = null, Action<HttpRequestMessage>? adjust = null)
    {
        var body = EventBridgeEvents.StateChange(trainingJobName, status, failureReason);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/events/sagemaker") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        adjust?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownedDirectory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_ownedDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite handle released late leaves a temp folder behind; not worth failing a test for.
        }
    }
}
