namespace QueuedTraining.Contracts.SageMaker;

/// <summary>The values of SageMaker's <c>TrainingJobStatus</c>. Statuses are kept as strings so new ones parse.</summary>
public static class TrainingJobStatus
{
    /// <summary>The job is starting or running.</summary>
    public const string InProgress = "InProgress";

    /// <summary>The job finished successfully.</summary>
    public const string Completed = "Completed";

    /// <summary>The job failed.</summary>
    public const string Failed = "Failed";

    /// <summary>The job is being stopped.</summary>
    public const string Stopping = "Stopping";

    /// <summary>The job was stopped.</summary>
    public const string Stopped = "Stopped";

    /// <summary>True for a status after which the job never changes again.</summary>
    /// <param name="status">A <c>TrainingJobStatus</c> as SageMaker spells it; null when unknown.</param>
    /// <returns>True for <c>Completed</c>, <c>Failed</c> and <c>Stopped</c>.</returns>
    public static bool IsTerminal(string? status) => status is Completed or Failed or Stopped;
}

/// <summary>The values of SageMaker's <c>SecondaryStatus</c> that QueuedTraining writes itself.</summary>
public static class SecondaryStatus
{
    /// <summary>Waiting (in the queue, or for SageMaker capacity).</summary>
    public const string Pending = "Pending";

    /// <summary>Being started.</summary>
    public const string Starting = "Starting";

    /// <summary>Training.</summary>
    public const string Training = "Training";

    /// <summary>Being stopped.</summary>
    public const string Stopping = "Stopping";

    /// <summary>Stopped.</summary>
    public const string Stopped = "Stopped";

    /// <summary>Completed.</summary>
    public const string Completed = "Completed";

    /// <summary>Failed.</summary>
    public const string Failed = "Failed";
}
