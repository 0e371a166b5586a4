using System.Text.Json.Serialization;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Storage;

/// <summary>How stores serialise a whole <see cref="QueuedJob"/> into one item or row.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QueuedJob))]
public sealed partial class QueuedJobJsonContext : JsonSerializerContext
{
}
