using System.Text.Json;
using System.Text.RegularExpressions;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Forecasting;

/// <summary>What a forecast needs from a job's request: its MaxRuntime bound and the family its runs are pooled in.</summary>
/// <param name="MaxRuntime">StoppingCondition.MaxRuntimeInSeconds: an attempt never holds instances longer.</param>
/// <param name="Family">The value of the family tag, else the name without its trailing numbers and dates.</param>
internal sealed partial record JobTraits(TimeSpan MaxRuntime, string Family)
{
    /// <summary>Used only for a request without a bound, which validation no longer accepts: SageMaker's own ceiling.</summary>
    private static readonly TimeSpan SageMakerCeiling = TimeSpan.FromDays(28);

    /// <summary>Reads <paramref name="job"/>'s request once; <paramref name="familyTagKey"/> names the family tag.</summary>
    public static JobTraits Of(QueuedJob job, string familyTagKey)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var request = JsonDocument.Parse(job.RequestJson);
        var root = request.RootElement;
        var maxRuntime = SageMakerCeiling;
        if (root.TryGetProperty("StoppingCondition", out var stopping) && stopping.ValueKind == JsonValueKind.Object
            && stopping.TryGetProperty("MaxRuntimeInSeconds", out var seconds) && seconds.TryGetInt32(out var value) && value > 0)
        {
            maxRuntime = TimeSpan.FromSeconds(value);
        }

        string? family = null;
        if (root.TryGetProperty("Tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.Object
                    && tag.TryGetProperty("Key", out var key) && key.ValueKind == JsonValueKind.String && key.GetString() == familyTagKey
                    && tag.TryGetProperty("Value", out var tagValue) && tagValue.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(tagValue.GetString()))
                {
                    family = tagValue.GetString();
                    break;
                }
            }
        }

        return new JobTraits(maxRuntime, family ?? FamilyFromName(job.Name));
    }

    /// <summary>
    /// "resnet-sweep-20260101-3" and "resnet-sweep-7" are runs of "resnet-sweep": trailing groups of digits, each
    /// optionally after '-', '_' or '.', are removed. A name that is all digits is its own family.
    /// </summary>
    public static string FamilyFromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stem = TrailingNumbers().Replace(name, string.Empty);
        return stem.Length == 0 ? name : stem;
    }

    [GeneratedRegex(@"([-_.]?[0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingNumbers();
}
