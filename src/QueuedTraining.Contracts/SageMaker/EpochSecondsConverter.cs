using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>SageMaker's JSON 1.1 protocol writes timestamps as epoch seconds with a fraction.</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    private const double MinSeconds = -62135596800;
    private const double MaxSeconds = 253402300799;

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out var number) ? FromSeconds(number) : throw OutOfRange();
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A timestamp must be epoch seconds, not {reader.TokenType}.");
        }

        // Some peers send ISO 8601 strings or quoted numbers; accept both rather than fail a whole response.
        var text = reader.GetString()!;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new JsonException($"'{text}' is not a timestamp: send epoch seconds or ISO 8601.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3));
    }

    // A bad timestamp is the caller's mistake: a JsonException, which surfaces answer as a validation error, never a 500.
    private static DateTimeOffset FromSeconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= MinSeconds && seconds <= MaxSeconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000.0))
            : throw OutOfRange();

    private static JsonException OutOfRange() =>
        new($"A timestamp must be epoch seconds between {MinSeconds} and {MaxSeconds}.");
}
