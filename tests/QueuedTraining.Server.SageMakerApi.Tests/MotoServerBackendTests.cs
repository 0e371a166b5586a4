using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;
using QueuedTraining.Testing;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>Smoke test of the SageMaker backend against a real moto_server: the real client creates and describes attempts.</summary>
public sealed class MotoServerBackendTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task SageMakerBackend_AgainstMotoServer_StartsAttemptAndReconcilesItToCompleted()
    {
        await using var queue = await QueueServiceHost.StartAsync(QueueSettings.SageMakerBackend(moto.ServiceUrl, "testing", "testing"));
        var name = TrainingJobs.UniqueName("moto");

        await queue.SubmitAsync(TrainingJobs.New(name));

        // moto completes a job as soon as it is created; no event comes, so reconciliation's DescribeTrainingJob finds it.
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == JobState.Completed, "the job completed");
        var attempt = Assert.Single((await queue.GetJobAsync(name)).Attempts);
        Assert.Equal(TrainingJobStatus.Completed, attempt.Outcome);
        Assert.Equal(name, attempt.SageMakerJobName);
    }
}
