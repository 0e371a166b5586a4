using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// Stores a string that holds JSON as that JSON itself, not as an escaped string inside the job's JSON: written once,
/// never escaped and unescaped again, and readable as it is. Jobs stored before this was so (a string) still read.
/// </summary>
internal sealed class EmbeddedJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);

        // Validated as it is written: a malformed value must fail this write, not make the stored job unreadable.
        writer.WriteRawValue(value);
    }
}
