namespace QueuedTraining.Contracts.Queue;

/// <summary>The values of <see cref="TrainingJobResource.Backend"/>: what runs a queue service's attempts.</summary>
public static class QueueBackends
{
    /// <summary>SageMaker simulated inside the queue service: only the queue can describe its attempts.</summary>
    public const string Simulated = "Simulated";

    /// <summary>Amazon SageMaker (or a service speaking its protocol): its attempts are SageMaker training jobs.</summary>
    public const string SageMaker = "SageMaker";
}
