using System.Globalization;
using QueuedTraining.Contracts.SageMaker;

namespace Launcher;

/// <summary>The launcher's training job: PyTorch on one ml.p5.48xlarge, as a data scientist would submit it to SageMaker.</summary>
internal static class TrainingRequests
{
    public static CreateTrainingJobRequest PyTorch(string name, int priority, int simulatedSeconds) => new()
    {
        TrainingJobName = name,
        RoleArn = "arn:aws:iam::000000000000:role/SageMakerTraining",
        AlgorithmSpecification = new AlgorithmSpecification
        {
            TrainingImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3-gpu-py311",
            TrainingInputMode = "File",
        },
        HyperParameters = new Dictionary<string, string>
        {
            ["epochs"] = "10",
            ["lr"] = "0.0003",
            // Read by the queue's simulated SageMaker only; real SageMaker passes it to the script, which ignores it.
            ["sim_duration_seconds"] = simulatedSeconds.ToString(CultureInfo.InvariantCulture),
        },
        OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://example-training-bucket/output/" },
        ResourceConfig = new ResourceConfig { InstanceType = "ml.p5.48xlarge", InstanceCount = 1, VolumeSizeInGB = 200 },
        StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 86400 },
        CheckpointConfig = new CheckpointConfig { S3Uri = $"s3://example-training-bucket/checkpoints/{name}/" },
        Tags = [new Tag { Key = "priority", Value = priority.ToString(CultureInfo.InvariantCulture) }],
    };
}
