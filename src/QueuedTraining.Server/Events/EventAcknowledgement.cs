namespace QueuedTraining.Server.Events;

/// <summary>What <c>POST /v1/events/sagemaker</c> answers: whether the event named a queued job's current attempt, and the job's state after it.</summary>
internal sealed class EventAcknowledgement
{
    /// <summary>The SageMaker job the event is about (an attempt's name).</summary>
    public required string TrainingJobName { get; init; }

    /// <summary>True when a queued job's current attempt has that name.</summary>
    public required bool Matched { get; init; }

    /// <summary>The queued job the attempt belongs to, when it matched.</summary>
    public string? JobName { get; init; }

    /// <summary>That job's state after the event, when it matched.</summary>
    public string? State { get; init; }
}
