using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client.Tests;

/// <summary>The words every surface uses for a waiting job's place and expected start.</summary>
public sealed class ExpectedStartTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(22, "22nd")]
    [InlineData(1_001, "1,001st")]
    public void Ordinal_Number_EnglishOrdinal(long number, string expected) => Assert.Equal(expected, ExpectedStartText.Ordinal(number));

    [Fact]
    public void Describe_WaitingJobWithForecast_PlaceAndRange()
    {
        var job = Job(3, Expected(TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(130)));

        Assert.Equal("3rd in line; expected to start in 40 min – 2 h 10 min", ExpectedStartText.Describe(job, Now));
    }

    [Fact]
    public void Describe_EarliestPassed_WithinLatest()
    {
        var job = Job(1, Expected(TimeSpan.FromMinutes(-5), TimeSpan.FromMinutes(10), TimeSpan.FromHours(50)));

        Assert.Equal("1st in line; expected to start within 2 d 2 h", ExpectedStartText.Describe(job, Now));
    }

    [Fact]
    public void Describe_NoForecast_PlaceOnly() => Assert.Equal("7th in line", ExpectedStartText.Describe(Job(7, null), Now));

    [Fact]
    public void Describe_NotWaiting_Null() => Assert.Null(ExpectedStartText.Describe(Job(null, null), Now));

    private static ExpectedStartResource Expected(TimeSpan earliest, TimeSpan likely, TimeSpan latest) =>
        new() { Earliest = Now + earliest, Likely = Now + likely, Latest = Now + latest, Basis = "test" };

    private static TrainingJobResource Job(long? position, ExpectedStartResource? expected) => new()
    {
        Name = "job",
        Owner = "alice",
        Priority = 1,
        State = position is null ? JobState.Running : JobState.Pending,
        InstanceType = "ml.g5.xlarge",
        InstanceCount = 1,
        EnqueuedAt = Now,
        UpdatedAt = Now,
        QueuePosition = position,
        ExpectedStart = expected,
    };
}
