using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Storage;

/// <summary>How stores serialise a whole <see cref="QueuedJob"/> into one item or row: use <see cref="Storage"/>.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QueuedJob))]
public sealed partial class QueuedJobJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context stores read and write with. Its escaping is relaxed: a stored job is never placed in HTML,
    /// and the default escaping wrote every quote of the embedded request JSON as six characters, making each
    /// job a third larger to write, store and parse. Either form reads back the same.
    /// </summary>
    public static QueuedJobJsonContext Storage { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
