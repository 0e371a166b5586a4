using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>CreateTrainingJob requests shaped like the seed's PyTorch job.</summary>
internal static class TestRequests
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static CreateTrainingJobRequest PyTorch(string name, double simulatedSeconds = 600, int instances = 1, int? priority = null, string? outcome = null)
    {
        var hyperParameters = new Dictionary<string, string>
        {
            ["epochs"] = "3",
            [SimulatedSageMaker.DurationHyperParameter] = simulatedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (outcome is not null)
        {
            hyperParameters[SimulatedSageMaker.OutcomeHyperParameter] = outcome;
        }

        return new CreateTrainingJobRequest
        {
            TrainingJobName = name,
            RoleArn = "arn:aws:iam::000000000000:role/SageMakerTraining",
            AlgorithmSpecification = new AlgorithmSpecification
            {
                TrainingImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3-gpu-py311",
                TrainingInputMode = "File",
            },
            HyperParameters = hyperParameters,
            OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://example-bucket/output/" },
            ResourceConfig = new ResourceConfig { InstanceType = QueueServer.InstanceType, InstanceCount = instances, VolumeSizeInGB = 100 },
            StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 86400 },
            Tags = priority is { } p ? [new Tag { Key = "priority", Value = p.ToString(System.Globalization.CultureInfo.InvariantCulture) }] : null,
        };
    }
}
