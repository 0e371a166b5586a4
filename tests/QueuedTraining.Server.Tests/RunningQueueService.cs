using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server;

namespace QueuedTraining.Server.Tests;

/// <summary>The real queue service on a loopback port of Kestrel, with its SQLite file in a temp folder.</summary>
internal sealed class RunningQueueService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningQueueService(WebApplication app, string databasePath, Uri baseAddress)
    {
        _app = app;
        DatabasePath = databasePath;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public string DatabasePath { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningQueueService> StartAsync(string? databasePath = null, IDictionary<string, string?>? settings = null)
    {
        databasePath ??= Path.Combine(Directory.CreateTempSubdirectory("qt-server-").FullName, "jobs.db");
        var configuration = new Dictionary<string, string?>
        {
            ["QueuedTraining:Sqlite:Path"] = databasePath,
            ["QueuedTraining:Capacity:ml.p5.48xlarge"] = "2",
            ["QueuedTraining:Capacity:ml.g5.xlarge"] = "1",
            ["QueuedTraining:ReconcileInterval"] = "00:00:01",
            ["QueuedTraining:Simulated:DefaultDuration"] = "00:10:00",
            ["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningQueueService(app, databasePath, new Uri(address));
    }

    public Task<HttpResponseMessage> SubmitAsync(CreateTrainingJobRequest request, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs")
        {
            Content = JsonContent.Create(request, SageMakerJsonContext.Default.CreateTrainingJobRequest),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(message);
    }

    public async Task<TrainingJobResource?> GetJobAsync(string name)
    {
        var response = await Client.GetAsync($"/v1/jobs/{name}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource) : null;
    }

    public async Task<JobPage> ListAsync(string query = "")
    {
        var response = await Client.GetAsync("/v1/jobs" + query);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.JobPage))!;
    }

    /// <summary>Polls until the job reaches <paramref name="state"/>; fails with what it saw after a generous limit.</summary>
    public async Task<TrainingJobResource> WaitForStateAsync(string name, JobState state)
    {
        TrainingJobResource? job = null;
        for (var i = 0; i < 600; i++)
        {
            job = await GetJobAsync(name);
            if (job?.State == state)
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{name} never became {state}; last seen {job?.State}: {job?.Reason}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>Reads problem details the way a client would.</summary>
internal static class ProblemReader
{
    public static async Task<(string? Code, string? Field, string? Type)> ReadAsync(HttpResponseMessage response)
    {
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (
            root.TryGetProperty("code", out var code) ? code.GetString() : null,
            root.TryGetProperty("field", out var field) ? field.GetString() : null,
            root.TryGetProperty("type", out var type) ? type.GetString() : null);
    }
}
