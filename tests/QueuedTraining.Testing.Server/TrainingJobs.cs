using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Testing.Server;

/// <summary>CreateTrainingJob requests as a user's launcher sends them.</summary>
public static class TrainingJobs
{
    public const string SmallPool = "ml.m5.large";
    public const string OtherPool = "ml.c5.xlarge";

    public static string UniqueName(string purpose) => $"{purpose}-{Guid.NewGuid().ToString("N")[..10]}";

    public static CreateTrainingJobRequest New(string name, string instanceType = SmallPool, int priority = 0, int? simulatedSeconds = null) => new()
    {
        TrainingJobName = name,
        RoleArn = "arn:aws:iam::123456789012:role/SageMakerRole",
        AlgorithmSpecification = new AlgorithmSpecification { TrainingImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1", TrainingInputMode = "File" },
        OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://bucket/output" },
        ResourceConfig = new ResourceConfig { InstanceType = instanceType, InstanceCount = 1, VolumeSizeInGB = 10 },
        StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 3600 },
        HyperParameters = simulatedSeconds is { } seconds ? new() { ["sim_duration_seconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
        Tags = [new Tag { Key = "priority", Value = priority.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
    };
}
