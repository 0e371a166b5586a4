using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>
/// A principal configured once, with an API key (as its digest) and an access key (its secret in a file), is one owner
/// on both surfaces: what it submits with one credential it reads and stops with the other.
/// </summary>
public sealed class OneIdentityTests : IAsyncLifetime, IDisposable
{
    private const string CarolKey = "carol-api-key-0001";
    private const string CarolAccessKey = "AKIACAROL00000000005";
    private const string CarolSecret = "carol/secret/key/for/tests/00000000000000";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _secretFile = Path.Combine(Path.GetTempPath(), $"qt-carol-{Guid.NewGuid():N}.secret");
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_secretFile, CarolSecret + "\n");
        var settings = QueueSettings.SimulatedWithAccessKeys();
        settings["QueuedTraining:Auth:Mode"] = "ApiKey";
        settings["QueuedTraining:Auth:Principals:carol:ApiKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CarolKey)));
        settings["QueuedTraining:Auth:Principals:carol:AccessKeys:0:Id"] = CarolAccessKey;
        settings["QueuedTraining:Auth:Principals:carol:AccessKeys:0:SecretFile"] = _secretFile;
        _queue = await QueueServiceHost.StartAsync(settings);
        _queue.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CarolKey);
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        File.Delete(_secretFile);
    }

    [Fact]
    public async Task SubmitWithApiKey_ThenDescribeAndStopWithAccessKey_IsOneOwner()
    {
        var name = TrainingJobs.UniqueName("carol");
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs")
        {
            Content = JsonContent.Create(TrainingJobs.New(name, priority: 1, simulatedSeconds: 600), SageMakerJsonContext.Default.CreateTrainingJobRequest),
        };
        var submitted = await _queue.Http.SendAsync(submit);
        var carol = AccessKeys.ClientFor(_queue.BaseUrl, _http, CarolAccessKey, CarolSecret);
        var bob = AccessKeys.ClientFor(_queue.BaseUrl, _http, AccessKeys.Bob, AccessKeys.BobSecret);

        var described = await carol.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name });
        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(() => bob.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name }));
        await carol.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });

        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(name, described.TrainingJobName);
        var job = await _queue.GetJobAsync(name);
        Assert.Equal("carol", job.Owner);
        Assert.Contains(job.State, new[] { JobState.Cancelled, JobState.Stopping, JobState.Stopped });
    }

    [Fact]
    public async Task ApiKey_NotConfigured_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CarolKey + "x");

        var response = await _queue.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
