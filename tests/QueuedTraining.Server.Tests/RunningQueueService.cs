using System.Net.Http.Json;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Server.Tests;

/// <summary>The real queue service in process (see <see cref="QueueServiceHost"/>) with two pools, and the calls the tests make.</summary>
internal sealed class RunningQueueService : IAsyncDisposable
{
    private readonly QueueServiceHost _host;

    private RunningQueueService(QueueServiceHost host) => _host = host;

    public string DatabasePath => _host.DatabasePath;

    public HttpClient Client => _host.Http;

    public IServiceProvider Services => _host.Services;

    public static async Task<RunningQueueService> StartAsync(
        string? databasePath = null,
        IDictionary<string, string?>? settings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>
        {
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

        return new RunningQueueService(await QueueServiceHost.StartAsync(configuration, databasePath, services));
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
        await Polling.UntilAsync(async () => (job = await GetJobAsync(name))?.State == state, $"{name} to become {state}");
        return job!;
    }

    /// <summary>API-key mode with three principals: alice and bob (tenants) and ops (an operator), keyed "&lt;name&gt;-key".</summary>
    public static Dictionary<string, string?> TenantSettings() => new()
    {
        ["QueuedTraining:Auth:Mode"] = "ApiKey",
        ["QueuedTraining:Auth:ApiKeys:alice-key"] = "alice",
        ["QueuedTraining:Auth:ApiKeys:bob-key"] = "bob",
        ["QueuedTraining:Auth:ApiKeys:ops-key"] = "ops",
        ["QueuedTraining:Auth:Operators:0"] = "ops",
    };

    /// <summary>Sends the following requests with this API key; null sends none.</summary>
    public void UseKey(string? key) =>
        Client.DefaultRequestHeaders.Authorization = key is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>Reads problem details the way a client would.</summary>
internal static class ProblemReader
{
    public static async Task<(string? Code, string? Field, string? Type, string? Title, string? Detail)> ReadAsync(HttpResponseMessage response)
    {
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (Text("code"), Text("field"), Text("type"), Text("title"), Text("detail"));

        string? Text(string member) => root.TryGetProperty(member, out var value) ? value.GetString() : null;
    }
}
