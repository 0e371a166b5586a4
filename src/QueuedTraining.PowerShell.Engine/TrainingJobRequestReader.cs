using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.PowerShell.Engine;

/// <summary>Reads a <c>CreateTrainingJob</c> request from the JSON that a hashtable, a string or a file gives.</summary>
public static class TrainingJobRequestReader
{
    // Member names match whatever case the operator typed: PowerShell hashtable keys are case-insensitive too.
    private static readonly SageMakerJsonContext CaseInsensitive = new(new JsonSerializerOptions(SageMakerJsonContext.Default.Options)
    {
        PropertyNameCaseInsensitive = true,
    });

    private static readonly string[] StringMaps = ["HyperParameters", "Environment"];

    /// <summary>
    /// Parses <paramref name="json"/> as a CreateTrainingJob request. Numbers and booleans where SageMaker wants
    /// strings (hyperparameter, environment and tag values) are taken as their text, as ConvertTo-Json writes them.
    /// </summary>
    /// <exception cref="FormatException">The text is not JSON of that shape.</exception>
    public static CreateTrainingJobRequest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var node = JsonNode.Parse(json);
            if (node is JsonObject request)
            {
                StringifyValues(request);
            }

            return node.Deserialize(CaseInsensitive.CreateTrainingJobRequest)
                ?? throw new FormatException("The request is JSON null, not a CreateTrainingJob request object.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The request is not a valid CreateTrainingJob request: {ex.Message}", ex);
        }
    }

    private static void StringifyValues(JsonObject request)
    {
        foreach (var (key, value) in request.ToList())
        {
            if (value is JsonObject map && StringMaps.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                foreach (var (member, memberValue) in map.ToList())
                {
                    map[member] = AsString(memberValue);
                }
            }
            else if (value is JsonArray tags && string.Equals(key, "Tags", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var tag in tags.OfType<JsonObject>())
                {
                    foreach (var (member, memberValue) in tag.ToList())
                    {
                        if (string.Equals(member, "Value", StringComparison.OrdinalIgnoreCase))
                        {
                            tag[member] = AsString(memberValue);
                        }
                    }
                }
            }
        }
    }

    private static JsonNode? AsString(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? JsonValue.Create(scalar.ToJsonString())
            : value?.DeepClone();

    /// <summary>Gives the request the priority tag <paramref name="tagKey"/> = <paramref name="priority"/>, replacing one it has.</summary>
    public static void SetPriority(CreateTrainingJobRequest request, string tagKey, int priority)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Tags ??= [];
        request.Tags.RemoveAll(t => string.Equals(t.Key, tagKey, StringComparison.Ordinal));
        request.Tags.Add(new Tag { Key = tagKey, Value = priority.ToString(CultureInfo.InvariantCulture) });
    }
}
