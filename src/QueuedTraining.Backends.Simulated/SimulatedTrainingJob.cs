using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Backends.Simulated;

/// <summary>One simulated job: its request, status history and pending timer.</summary>
internal sealed class SimulatedTrainingJob(CreateTrainingJobRequest request, string arn, DateTimeOffset createdAt, bool failAtEnd, string? failureReason)
{
    public CreateTrainingJobRequest Request { get; } = request;

    public string Arn { get; } = arn;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public bool FailAtEnd { get; } = failAtEnd;

    public string? FailureReasonAtEnd { get; } = failureReason;

    public string Status { get; set; } = TrainingJobStatus.InProgress;

    public string SecondaryStatus { get; set; } = Contracts.SageMaker.SecondaryStatus.Starting;

    public string? FailureReason { get; set; }

    public DateTimeOffset LastModified { get; set; } = createdAt;

    public DateTimeOffset? EndedAt { get; set; }

    public ITimer? Timer { get; set; }

    public List<SecondaryStatusTransition> Transitions { get; } = [];
}
