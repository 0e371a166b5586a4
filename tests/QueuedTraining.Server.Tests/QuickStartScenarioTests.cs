using QueuedTraining.Contracts.Queue;
using QueuedTraining.Samples.QuickStart;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>The quick start shows what the README promises, on the real service.</summary>
public sealed class QuickStartScenarioTests
{
    [Fact]
    public async Task RunAsync_SeedScenario_PreemptsLowestResumesItBeforeLaterJobAndCompletesAll()
    {
        using var output = new StringWriter();

        var result = await QuickStartScenario.RunAsync(output, timeScale: 0.5);

        Assert.True(result.AllCompleted, output.ToString());
        Assert.Contains(result.Snapshots, s => Count(s, JobState.Running) == 2);
        Assert.Contains(result.Snapshots, s => State(s, "job1") is JobState.Preempting or JobState.Preempted && State(s, "job4") is not JobState.Completed);
        Assert.DoesNotContain(result.Snapshots, s => Count(s, JobState.Running) + Count(s, JobState.Starting) + Count(s, JobState.Preempting) > 2);

        var job1 = result.Final.Single(j => j.Name == "job1");
        var job3 = result.Final.Single(j => j.Name == "job3");
        Assert.Equal(2, job1.Attempts.Count);
        Assert.True(job1.Attempts[1].StartedAt < job3.Attempts[0].StartedAt, "job1 resumes before job3, a later job of its priority");
        Assert.All(result.Final, j => Assert.Equal(JobState.Completed, j.State));
        Assert.Contains("preempted", output.ToString(), StringComparison.Ordinal);
    }

    private static int Count(IReadOnlyList<TrainingJobResource> jobs, JobState state) => jobs.Count(j => j.State == state);

    private static JobState? State(IReadOnlyList<TrainingJobResource> jobs, string name) => jobs.FirstOrDefault(j => j.Name == name)?.State;
}
