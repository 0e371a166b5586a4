using QueuedTraining.Contracts.Queue;
using Xunit;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>How DescribeTrainingJob's status message names a waiting job's team, SageMaker having no field for it.</summary>
public sealed class TeamStatusMessageTests
{
    [Theory]
    [InlineData("vision", "(priority 5, team vision): waiting by fair share")]
    [InlineData("default", "(priority 5): waiting by fair share")]
    [InlineData(null, "(priority 5): waiting by fair share")]
    public void StatusMessage_WaitingJob_NamesItsTeamUnlessDefault(string? team, string expected)
    {
        var job = new TrainingJobResource
        {
            Name = "j",
            Owner = "alice",
            Team = team,
            State = JobState.Pending,
            Priority = 5,
            InstanceType = "ml.p5.48xlarge",
            InstanceCount = 1,
            EnqueuedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            QueuePosition = 2,
            Reason = "waiting by fair share",
        };

        Assert.EndsWith(expected, QueuedJobSageMakerView.StatusMessage(job), StringComparison.Ordinal);
    }
}
