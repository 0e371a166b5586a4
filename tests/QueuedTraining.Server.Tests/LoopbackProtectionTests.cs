using System.Net;
using System.Net.Http.Json;
using System.Text;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// Without API keys the queue serves this machine only. A web page in the user's browser is on this machine too: what
/// it can send and a local tool never does (a foreign Host or Origin, a body not declared as JSON) is refused.
/// </summary>
public sealed class LoopbackProtectionTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task PostJob_CrossSiteOrigin_Returns401AndStoresNothing()
    {
        using var request = Submission("from-a-page");
        request.Headers.Add("Origin", "http://evil.example");

        var response = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await _service.GetJobAsync("from-a-page"));
    }

    [Fact]
    public async Task GetJobs_ForeignHostName_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/jobs");
        request.Headers.Host = "evil.example";

        var response = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Host is not a loopback address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_LocalOriginAndLocalhostHost_IsServed()
    {
        using var request = Submission("from-a-local-page");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Host = "localhost";

        var response = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task PostJob_BodyNotDeclaredAsJson_Returns415AndStoresNothing(string mediaType)
    {
        var json = JsonContent.Create(TestJobs.Request("plain-text", 1), SageMakerJsonContext.Default.CreateTrainingJobRequest);
        var body = new StringContent(await json.ReadAsStringAsync(), Encoding.UTF8, mediaType);

        var response = await _service.Client.PostAsync("/v1/jobs", body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(ProblemCodes.UnsupportedMediaType, (await ProblemReader.ReadAsync(response)).Code);
        Assert.Null(await _service.GetJobAsync("plain-text"));
    }

    private static HttpRequestMessage Submission(string name) => new(HttpMethod.Post, "/v1/jobs")
    {
        Content = JsonContent.Create(TestJobs.Request(name, 1), SageMakerJsonContext.Default.CreateTrainingJobRequest),
    };
}
