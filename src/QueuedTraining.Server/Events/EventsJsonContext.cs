using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Server.Events;

/// <summary>Source-generated JSON of the events endpoint. EventBridge member names are exact (<c>detail-type</c>), so matching is case-sensitive.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventBridgeEvent))]
[JsonSerializable(typeof(EventAcknowledgement))]
internal sealed partial class EventsJsonContext : JsonSerializerContext
{
}
