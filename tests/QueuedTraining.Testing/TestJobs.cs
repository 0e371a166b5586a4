using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Testing;

/// <summary>Builds jobs and CreateTrainingJob requests for tests.</summary>
public static class TestJobs
{
    /// <summary>The epoch every test clock starts at.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A pool name used throughout the tests.</summary>
    public const string P5 = "ml.p5.48xlarge";

    /// <summary>A second pool.</summary>
    public const string G5 = "ml.g5.xlarge";

    /// <summary>A CreateTrainingJob request like the seed design's PyTorch job.</summary>
    public static CreateTrainingJobRequest Request(string name, int? priority = null, string instanceType = P5, int instanceCount = 1, double? simSeconds = null)
    {
        var request = new CreateTrainingJobRequest
        {
            TrainingJobName = name,
            RoleArn = "arn:aws:iam::123456789012:role/SageMakerRole",
            AlgorithmSpecification = new AlgorithmSpecification
            {
                TrainingImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.1-gpu-py310",
                TrainingInputMode = "File",
            },
            OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://bucket/output" },
            ResourceConfig = new ResourceConfig { InstanceType = instanceType, InstanceCount = instanceCount, VolumeSizeInGB = 30 },
            StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 86400 },
            HyperParameters = [],
            Tags = [],
        };
        if (priority is not null)
        {
            request.Tags.Add(new Tag { Key = "priority", Value = priority.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (simSeconds is not null)
        {
            request.HyperParameters["sim_duration_seconds"] = simSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return request;
    }

    /// <summary>A stored-job value as a store would be handed it by the submission path.</summary>
    public static QueuedJob Job(
        string name,
        int priority = 0,
        JobState state = JobState.Pending,
        string instanceType = P5,
        int instanceCount = 1,
        DateTimeOffset? enqueuedAt = null,
        string owner = "alice",
        string? idempotencyKey = null)
    {
        var request = Request(name, priority, instanceType, instanceCount);
        var json = JsonSerializer.Serialize(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        var at = enqueuedAt ?? Epoch;
        return new QueuedJob
        {
            Name = name,
            Owner = owner,
            Priority = priority,
            State = state,
            InstanceType = instanceType,
            InstanceCount = instanceCount,
            EnqueuedAt = at,
            UpdatedAt = at,
            RequestJson = json,
            RequestHash = "hash-" + name,
            IdempotencyKey = idempotencyKey,
        };
    }
}
