namespace QueuedTraining.Contracts.SageMaker;

/// <summary>The body of SageMaker's <c>CreateTrainingJob</c>, member names exactly as SageMaker spells them.</summary>
public sealed class CreateTrainingJobRequest : SageMakerShape
{
    /// <summary>The training job's name: 1–63 characters, letters, digits and inner hyphens.</summary>
    public string? TrainingJobName { get; set; }

    /// <summary>The IAM role SageMaker assumes for the job.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The training image or algorithm and its input mode.</summary>
    public AlgorithmSpecification? AlgorithmSpecification { get; set; }

    /// <summary>Hyperparameters passed to the algorithm (at most 100).</summary>
    public Dictionary<string, string>? HyperParameters { get; set; }

    /// <summary>Input channels, kept as SageMaker shapes without modelling each member.</summary>
    public List<Channel>? InputDataConfig { get; set; }

    /// <summary>Where model artifacts are written.</summary>
    public OutputDataConfig? OutputDataConfig { get; set; }

    /// <summary>Instance type and count: the capacity the queue accounts for.</summary>
    public ResourceConfig? ResourceConfig { get; set; }

    /// <summary>Limits on run and wait time.</summary>
    public StoppingCondition? StoppingCondition { get; set; }

    /// <summary>Where checkpoints live; a preempted job resumes from them.</summary>
    public CheckpointConfig? CheckpointConfig { get; set; }

    /// <summary>Environment variables for the training container.</summary>
    public Dictionary<string, string>? Environment { get; set; }

    /// <summary>Whether to train on managed spot capacity.</summary>
    public bool? EnableManagedSpotTraining { get; set; }

    /// <summary>Tags (at most 50); the queue reads the job's priority from one of them.</summary>
    public List<Tag>? Tags { get; set; }
}
