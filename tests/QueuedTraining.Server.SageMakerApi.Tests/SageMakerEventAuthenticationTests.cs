using System.Net;
using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>In ApiKey mode the events endpoint wants the key an EventBridge connection sends, and an operator's key.</summary>
public sealed class SageMakerEventAuthenticationTests : IAsyncLifetime
{
    private const string EventBridgeKey = "eventbridge-connection-key-0001";
    private const string UserKey = "user-key-0002";
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync()
    {
        var settings = QueueSettings.SimulatedWithAccessKeys();
        settings["QueuedTraining:Auth:Mode"] = "ApiKey";
        settings["QueuedTraining:Auth:ApiKeys:" + EventBridgeKey] = "eventbridge";
        settings["QueuedTraining:Auth:ApiKeys:" + UserKey] = "carol";
        settings["QueuedTraining:Auth:Operators:1"] = "eventbridge";
        _queue = await QueueServiceHost.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    [Fact]
    public async Task PostEvent_NoKey_Returns401Problem()
    {
        using var response = await _queue.PostEventAsync("any-job", TrainingJobStatus.Completed);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthenticated", problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostEvent_KeyOfNonOperator_Returns403()
    {
        using var response = await _queue.PostEventAsync("any-job", TrainingJobStatus.Completed, adjust: r => r.Headers.Add("X-Api-Key", UserKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostEvent_ConnectionApiKeyHeader_Accepted()
    {
        using var response = await _queue.PostEventAsync("any-job", TrainingJobStatus.Completed, adjust: r => r.Headers.Add("X-Api-Key", EventBridgeKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
