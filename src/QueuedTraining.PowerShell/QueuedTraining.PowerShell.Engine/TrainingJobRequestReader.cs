using System.Globalization;
using System.Text.Json;
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

    /// <summary>Parses <paramref name="json"/> as a CreateTrainingJob request.</summary>
    /// <exception cref="FormatException">The text is not JSON of that shape.</exception>
    public static CreateTrainingJobRequest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, CaseInsensitive.CreateTrainingJobRequest)
                ?? throw new FormatException("The request is JSON null, not a CreateTrainingJob request object.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The request is not a valid CreateTrainingJob request: {ex.Message}", ex);
        }
    }

    /// <summary>Gives the request the priority tag <paramref name="tagKey"/> = <paramref name="priority"/>, replacing one it has.</summary>
    public static void SetPriority(CreateTrainingJobRequest request, string tagKey, int priority)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Tags ??= [];
        request.Tags.RemoveAll(t => string.Equals(t.Key, tagKey, StringComparison.Ordinal));
        request.Tags.Add(new Tag { Key = tagKey, Value = priority.ToString(CultureInfo.InvariantCulture) });
    }
}
