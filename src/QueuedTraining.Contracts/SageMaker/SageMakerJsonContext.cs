using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>
/// Source-generated JSON for SageMaker's wire shapes: member names as SageMaker spells them, null
/// members left out (SageMaker rejects explicit nulls for many members), compact output.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateTrainingJobRequest))]
[JsonSerializable(typeof(CreateTrainingJobResponse))]
[JsonSerializable(typeof(DescribeTrainingJobRequest))]
[JsonSerializable(typeof(DescribeTrainingJobResponse))]
[JsonSerializable(typeof(ListTrainingJobsRequest))]
[JsonSerializable(typeof(ListTrainingJobsResponse))]
[JsonSerializable(typeof(StopTrainingJobRequest))]
[JsonSerializable(typeof(StopTrainingJobResponse))]
[JsonSerializable(typeof(UpdateTrainingJobRequest))]
[JsonSerializable(typeof(UpdateTrainingJobResponse))]
public sealed partial class SageMakerJsonContext : JsonSerializerContext
{
}
