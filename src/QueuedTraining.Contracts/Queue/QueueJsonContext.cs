using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.Queue;

/// <summary>Source-generated JSON of the queue API v1 resources: camelCase members, states as lowercase strings.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrainingJobResource))]
[JsonSerializable(typeof(JobPage))]
[JsonSerializable(typeof(JobPatch))]
[JsonSerializable(typeof(CapacityResource))]
[JsonSerializable(typeof(TeamsResource))]
[JsonSerializable(typeof(WhatIfResource))]
[JsonSerializable(typeof(JobEventResource))]
[JsonSerializable(typeof(JobState))]
public sealed partial class QueueJsonContext : JsonSerializerContext
{
}
