namespace QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

/// <summary>A training job the fake SageMaker holds.</summary>
public sealed class FakeTrainingJob
{
    public required string Name { get; init; }

    public required string InstanceType { get; init; }

    public required int InstanceCount { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string Status { get; set; } = "InProgress";

    public string SecondaryStatus { get; set; } = "Training";

    public string? FailureReason { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The queued job this attempt belongs to: the attempt name less its <c>-q{n}-{tag}</c> suffix.</summary>
    public string QueuedJobName => System.Text.RegularExpressions.Regex.Replace(Name, "-q[0-9]+-[0-9a-f]{4}$", string.Empty);
}
