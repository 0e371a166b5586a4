using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>The SageMaker-compatible surface spends the same per-principal bucket and refuses as SageMaker does: ThrottlingException.</summary>
public sealed class SageMakerThrottlingTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync()
    {
        var settings = QueueSettings.SimulatedWithAccessKeys();
        settings["QueuedTraining:RateLimit:Burst"] = "2";
        settings["QueuedTraining:RateLimit:RequestsPerPeriod"] = "1";
        settings["QueuedTraining:RateLimit:Period"] = "01:00:00";
        _queue = await QueueServiceHost.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ListTrainingJobs_BeyondTheBurst_ThrowsThrottlingExceptionForThatPrincipalOnly()
    {
        var alice = Client(AccessKeys.Alice, AccessKeys.AliceSecret);
        await alice.ListTrainingJobsAsync(new ListTrainingJobsRequest());
        await alice.ListTrainingJobsAsync(new ListTrainingJobsRequest());

        var throttled = await Assert.ThrowsAsync<SageMakerThrottlingException>(() => alice.ListTrainingJobsAsync(new ListTrainingJobsRequest()));
        var bob = await Client(AccessKeys.Bob, AccessKeys.BobSecret).ListTrainingJobsAsync(new ListTrainingJobsRequest());

        Assert.Equal(SageMakerErrorCodes.ThrottlingException, throttled.ErrorCode);
        Assert.NotNull(bob);
    }

    private SageMakerTrainingClient Client(string accessKey, string secretKey) => AccessKeys.ClientFor(_queue.BaseUrl, _http, accessKey, secretKey);
}
