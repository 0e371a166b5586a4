using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>The answer to <c>DescribeTrainingJob</c>, member names exactly as SageMaker spells them.</summary>
public sealed class DescribeTrainingJobResponse : SageMakerShape
{
    /// <summary>The job's name.</summary>
    public string? TrainingJobName { get; set; }

    /// <summary>The job's ARN.</summary>
    public string? TrainingJobArn { get; set; }

    /// <summary>See <see cref="TrainingJobStatus"/>; unknown values are kept as they are.</summary>
    public string? TrainingJobStatus { get; set; }

    /// <summary>See <see cref="SecondaryStatus"/>; unknown values are kept as they are.</summary>
    public string? SecondaryStatus { get; set; }

    /// <summary>Why the job failed, when it did.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The role the job runs as.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The algorithm or image.</summary>
    public AlgorithmSpecification? AlgorithmSpecification { get; set; }

    /// <summary>The hyperparameters.</summary>
    public Dictionary<string, string>? HyperParameters { get; set; }

    /// <summary>The input channels.</summary>
    public List<Channel>? InputDataConfig { get; set; }

    /// <summary>The output location.</summary>
    public OutputDataConfig? OutputDataConfig { get; set; }

    /// <summary>The compute the job uses.</summary>
    public ResourceConfig? ResourceConfig { get; set; }

    /// <summary>The job's time limits.</summary>
    public StoppingCondition? StoppingCondition { get; set; }

    /// <summary>The checkpoint location.</summary>
    public CheckpointConfig? CheckpointConfig { get; set; }

    /// <summary>The model artifacts of a finished job.</summary>
    public ModelArtifacts? ModelArtifacts { get; set; }

    /// <summary>The secondary status history, the latest last.</summary>
    public List<SecondaryStatusTransition>? SecondaryStatusTransitions { get; set; }

    /// <summary>When the job was created.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreationTime { get; set; }

    /// <summary>When training started.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? TrainingStartTime { get; set; }

    /// <summary>When training ended.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? TrainingEndTime { get; set; }

    /// <summary>When the job last changed.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? LastModifiedTime { get; set; }
}

/// <summary>One step of a job's secondary status history.</summary>
public sealed class SecondaryStatusTransition : SageMakerShape
{
    /// <summary>The secondary status entered.</summary>
    public string? Status { get; set; }

    /// <summary>When it was entered.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When it was left.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>A human-readable detail.</summary>
    public string? StatusMessage { get; set; }
}
