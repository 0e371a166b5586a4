using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>DescribeTrainingJob on the compatible endpoint once the job runs: SageMaker's own description of the attempt, under the user's name.</summary>
public sealed class SageMakerCompatibleDescribeTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private FakeSageMaker _sageMaker = null!;
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync()
    {
        _sageMaker = await FakeSageMaker.StartAsync();
        var settings = QueueSettings.SageMakerBackend(_sageMaker.ServiceUrl, FakeSageMaker.AccessKey, FakeSageMaker.SecretKey);
        settings["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Alice] = AccessKeys.AliceSecret;
        _queue = await QueueServiceHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _sageMaker.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task DescribeTrainingJob_RunningJob_IncludesBackendsDescriptionOfTheAttempt()
    {
        var alice = AccessKeys.ClientFor(_queue.BaseUrl, _http, AccessKeys.Alice, AccessKeys.AliceSecret);
        var name = TrainingJobs.UniqueName("described");
        var created = await alice.CreateTrainingJobAsync(TrainingJobs.New(name));
        await Polling.UntilAsync(async () => (await _queue.GetJobAsync(name)).State == JobState.Running, "the job running");

        var described = await alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name });

        Assert.Equal(name, described.TrainingJobName);
        Assert.Equal(created.TrainingJobArn, described.TrainingJobArn);
        Assert.Equal(TrainingJobStatus.InProgress, described.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Training, described.SecondaryStatus);
        Assert.Equal(FakeSageMaker.BillableTimeInSeconds, described.AdditionalMembers!["BillableTimeInSeconds"].GetInt32());
    }
}
