using System.Text.Json;
using System.Text.Json.Nodes;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;

namespace QueuedTraining.Server.Tests;

/// <summary>Request bodies for the hostile-input suite: a valid CreateTrainingJob with one member replaced by raw JSON (or not-JSON).</summary>
internal static class HostileBodies
{
    private const string Placeholder = "__HOSTILE__";

    public static CreateTrainingJobRequest Valid(string name) => TestJobs.Request(name, 1);

    /// <summary>The valid request with <paramref name="path"/> (dot-separated, numbers index arrays) set to <paramref name="rawValue"/> as written.</summary>
    public static string Mutated(string path, string rawValue)
    {
        var root = JsonNode.Parse(JsonSerializer.Serialize(Valid("hostile-job"), SageMakerJsonContext.Default.CreateTrainingJobRequest))!;
        var segments = path.Split('.');
        var node = root;
        foreach (var segment in segments[..^1])
        {
            node = int.TryParse(segment, out var index) ? node?[index] : node?[segment] ??= new JsonObject();
        }

        var last = segments[^1];
        if (node is JsonArray array && int.TryParse(last, out var at))
        {
            array[at] = Placeholder;
        }
        else if (node is JsonObject parent)
        {
            parent[last] = Placeholder;
        }

        return root.ToJsonString().Replace($"\"{Placeholder}\"", rawValue, StringComparison.Ordinal);
    }
}
