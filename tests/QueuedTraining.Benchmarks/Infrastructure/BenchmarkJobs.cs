using System.Globalization;
using System.Text.Json;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// CreateTrainingJob requests and stored jobs shaped like a real PyTorch job (about 700 bytes of JSON). Their second tag is
/// an ordinary one: the <c>team</c> tag names a job's team, which the benchmarks' principals may not act for unless a
/// scenario configures teams and adds it.
/// </summary>
internal static class BenchmarkJobs
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CreateTrainingJobRequest Request(string name, int priority, string instanceType, int instanceCount = 1, TimeSpan? duration = null)
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
            HyperParameters = new Dictionary<string, string> { ["epochs"] = "10", ["lr"] = "0.001" },
            Tags = [new Tag { Key = "priority", Value = priority.ToString(CultureInfo.InvariantCulture) }, new Tag { Key = "project", Value = "vision" }],
        };
        if (duration is { } d)
        {
            request.HyperParameters[SimulatedSageMaker.DurationHyperParameter] = d.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return request;
    }

    /// <summary>A pending job as the submit path would store it, for seeding the store directly.</summary>
    public static QueuedJob PendingJob(string name, int priority, string instanceType, DateTimeOffset enqueuedAt)
    {
        var json = JsonSerializer.Serialize(Request(name, priority, instanceType), SageMakerJsonContext.Default.CreateTrainingJobRequest);
        return JobLifecycle.Submitted(new QueuedJob
        {
            Name = name,
            Owner = "bench",
            Priority = priority,
            InstanceType = instanceType,
            InstanceCount = 1,
            EnqueuedAt = enqueuedAt,
            UpdatedAt = enqueuedAt,
            RequestJson = json,
            RequestHash = "seeded-" + name,
        }, "submitted; waiting for the scheduler", enqueuedAt);
    }
}
