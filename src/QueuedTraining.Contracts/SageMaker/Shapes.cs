namespace QueuedTraining.Contracts.SageMaker;

/// <summary>A SageMaker tag.</summary>
public sealed class Tag : SageMakerShape
{
    /// <summary>The tag key (1–128 characters).</summary>
    public string? Key { get; set; }

    /// <summary>The tag value (0–256 characters).</summary>
    public string? Value { get; set; }
}

/// <summary>The algorithm or image a training job runs.</summary>
public sealed class AlgorithmSpecification : SageMakerShape
{
    /// <summary>The registry path of the training image.</summary>
    public string? TrainingImage { get; set; }

    /// <summary>The name or ARN of a SageMaker algorithm resource.</summary>
    public string? AlgorithmName { get; set; }

    /// <summary><c>File</c>, <c>Pipe</c> or <c>FastFile</c>.</summary>
    public string? TrainingInputMode { get; set; }
}

/// <summary>One input channel; its data source is kept verbatim in <see cref="SageMakerShape.AdditionalMembers"/>.</summary>
public sealed class Channel : SageMakerShape
{
    /// <summary>The channel's name, for example <c>train</c>.</summary>
    public string? ChannelName { get; set; }
}

/// <summary>Where SageMaker writes model artifacts.</summary>
public sealed class OutputDataConfig : SageMakerShape
{
    /// <summary>The S3 prefix for artifacts.</summary>
    public string? S3OutputPath { get; set; }

    /// <summary>The KMS key that encrypts artifacts.</summary>
    public string? KmsKeyId { get; set; }
}

/// <summary>The compute a training job asks for.</summary>
public sealed class ResourceConfig : SageMakerShape
{
    /// <summary>The ML instance type, for example <c>ml.p5.48xlarge</c>.</summary>
    public string? InstanceType { get; set; }

    /// <summary>How many instances the job uses.</summary>
    public int? InstanceCount { get; set; }

    /// <summary>The size of the ML storage volume.</summary>
    public int? VolumeSizeInGB { get; set; }

    /// <summary>How long a warm pool keeps the instances after the job.</summary>
    public int? KeepAlivePeriodInSeconds { get; set; }
}

/// <summary>Limits on how long a training job may run or wait.</summary>
public sealed class StoppingCondition : SageMakerShape
{
    /// <summary>The longest the job may run.</summary>
    public int? MaxRuntimeInSeconds { get; set; }

    /// <summary>The longest a spot job may wait, run time included.</summary>
    public int? MaxWaitTimeInSeconds { get; set; }

    /// <summary>The longest the job may stay pending.</summary>
    public int? MaxPendingTimeInSeconds { get; set; }
}

/// <summary>Where a job keeps its checkpoints.</summary>
public sealed class CheckpointConfig : SageMakerShape
{
    /// <summary>The S3 URI checkpoints are synchronised with.</summary>
    public string? S3Uri { get; set; }

    /// <summary>The local path in the container.</summary>
    public string? LocalPath { get; set; }
}

/// <summary>Where a finished job's model artifacts are.</summary>
public sealed class ModelArtifacts : SageMakerShape
{
    /// <summary>The S3 path of the model archive.</summary>
    public string? S3ModelArtifacts { get; set; }
}
