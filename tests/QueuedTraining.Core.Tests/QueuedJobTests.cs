using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class QueuedJobTests
{
    [Fact]
    public void WithNewAttempt_BeyondTheCap_DropsTheOldestAndNumberingCarriesOn()
    {
        var job = TestJobs.Job("job-a");
        for (var i = 0; i < QueuedJob.MaxAttemptsKept + 5; i++)
        {
            var number = job.NextAttemptNumber;
            job = job.WithNewAttempt(new JobAttempt(number, AttemptNames.Create(job.Name, number, job.EnqueuedAt), TestJobs.Epoch));
        }

        Assert.Equal(QueuedJob.MaxAttemptsKept, job.Attempts.Count);
        Assert.Equal(Enumerable.Range(6, QueuedJob.MaxAttemptsKept), job.Attempts.Select(a => a.Number));
        Assert.Equal(QueuedJob.MaxAttemptsKept + 6, job.NextAttemptNumber);
        Assert.Equal(job.Attempts.Count, job.Attempts.Select(a => a.SageMakerJobName).Distinct().Count());
    }

    [Fact]
    public void NextAttemptNumber_NoAttemptYet_IsOne() => Assert.Equal(1, TestJobs.Job("job-a").NextAttemptNumber);
}
