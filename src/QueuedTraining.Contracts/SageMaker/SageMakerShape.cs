using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>
/// Base of every SageMaker wire shape. Members this library does not model are kept here and written
/// back unchanged, so a field SageMaker adds tomorrow survives a trip through the queue.
/// </summary>
public abstract class SageMakerShape
{
    /// <summary>Members of the JSON object that have no property of their own, kept verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
}
