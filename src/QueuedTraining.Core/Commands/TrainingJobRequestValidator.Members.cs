using System.Text.RegularExpressions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.Commands;

/// <summary>
/// The members SageMaker's API reference documents as required for a training job, with their limits. A job
/// missing one would be accepted, wait its turn and only then fail at CreateTrainingJob; refusing it at the
/// door saves the user that wait.
/// </summary>
internal static partial class TrainingJobRequestValidator
{
    /// <summary>SageMaker's longest MaxRuntimeInSeconds: 28 days.</summary>
    public const int MaxRuntimeLimitSeconds = 28 * 24 * 3600;

    private static readonly string[] TrainingInputModes = ["File", "Pipe", "FastFile"];

    private static void ValidateAlgorithm(AlgorithmSpecification? algorithm, List<FieldError> errors)
    {
        if (algorithm is null)
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "AlgorithmSpecification", "AlgorithmSpecification is required."));
            return;
        }

        if (string.IsNullOrEmpty(algorithm.TrainingInputMode))
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "AlgorithmSpecification.TrainingInputMode", "AlgorithmSpecification.TrainingInputMode is required (File, Pipe or FastFile)."));
        }
        else if (!TrainingInputModes.Contains(algorithm.TrainingInputMode, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "AlgorithmSpecification.TrainingInputMode", $"AlgorithmSpecification.TrainingInputMode must be File, Pipe or FastFile, not '{algorithm.TrainingInputMode}'."));
        }

        var hasImage = !string.IsNullOrEmpty(algorithm.TrainingImage);
        var hasAlgorithm = !string.IsNullOrEmpty(algorithm.AlgorithmName);
        if (hasImage == hasAlgorithm)
        {
            errors.Add(new FieldError(
                hasImage ? ProblemCodes.InvalidField : ProblemCodes.MissingField,
                "AlgorithmSpecification.TrainingImage",
                "AlgorithmSpecification must name exactly one of TrainingImage and AlgorithmName."));
        }
        else if (algorithm.TrainingImage is { Length: > 255 })
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "AlgorithmSpecification.TrainingImage", "AlgorithmSpecification.TrainingImage is limited to 255 characters."));
        }
        else if (algorithm.AlgorithmName is { Length: > 170 })
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "AlgorithmSpecification.AlgorithmName", "AlgorithmSpecification.AlgorithmName is limited to 170 characters."));
        }
    }

    private static void ValidateOutput(OutputDataConfig? output, List<FieldError> errors)
    {
        if (output is null)
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "OutputDataConfig", "OutputDataConfig is required."));
            return;
        }

        ValidateS3Uri(output.S3OutputPath, "OutputDataConfig.S3OutputPath", errors);
    }

    private static void ValidateCheckpoint(CheckpointConfig? checkpoint, List<FieldError> errors)
    {
        if (checkpoint is not null)
        {
            ValidateS3Uri(checkpoint.S3Uri, "CheckpointConfig.S3Uri", errors);
        }
    }

    private static void ValidateS3Uri(string? uri, string field, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(uri))
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, field, $"{field} is required."));
        }
        else if (uri.Length > 1024 || !S3UriPattern().IsMatch(uri))
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, field, $"{field} must be an s3:// or https:// URI with a bucket, at most 1024 characters."));
        }
    }

    private static void ValidateStopping(StoppingCondition? stopping, bool? managedSpot, List<FieldError> errors)
    {
        if (stopping is null)
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "StoppingCondition", "StoppingCondition is required."));
            return;
        }

        if (stopping.MaxRuntimeInSeconds is not { } runtime)
        {
            // The queue needs the bound as much as SageMaker does: it is the longest an attempt can hold its instances.
            errors.Add(new FieldError(ProblemCodes.MissingField, "StoppingCondition.MaxRuntimeInSeconds", "StoppingCondition.MaxRuntimeInSeconds is required."));
        }
        else if (runtime is < 1 or > MaxRuntimeLimitSeconds)
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "StoppingCondition.MaxRuntimeInSeconds", $"StoppingCondition.MaxRuntimeInSeconds must be between 1 and {MaxRuntimeLimitSeconds} (28 days)."));
        }

        if (stopping.MaxWaitTimeInSeconds is { } wait)
        {
            if (managedSpot != true)
            {
                errors.Add(new FieldError(ProblemCodes.InvalidField, "StoppingCondition.MaxWaitTimeInSeconds", "StoppingCondition.MaxWaitTimeInSeconds applies only with EnableManagedSpotTraining."));
            }
            else if (wait < 1 || (stopping.MaxRuntimeInSeconds is { } max && wait < max))
            {
                errors.Add(new FieldError(ProblemCodes.InvalidField, "StoppingCondition.MaxWaitTimeInSeconds", "StoppingCondition.MaxWaitTimeInSeconds must be at least MaxRuntimeInSeconds."));
            }
        }
    }

    /// <summary>
    /// SageMaker refuses a repeated tag key, and a priority written under another spelling of the key
    /// (<c>Priority</c> for <c>priority</c>) would otherwise be read as no priority at all: refuse both.
    /// </summary>
    private static void ValidateTagKeysOnce(List<Tag> tags, string priorityKey, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var key = tags[i].Key;
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            if (!seen.Add(key))
            {
                errors.Add(new FieldError(ProblemCodes.DuplicateTag, $"Tags[{i}].Key", $"The tag key '{key}' appears more than once."));
            }
            else if (!string.Equals(key, priorityKey, StringComparison.Ordinal) && string.Equals(key.Trim(), priorityKey, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new FieldError(
                    ProblemCodes.AmbiguousPriority,
                    $"Tags[{i}].Key",
                    $"The tag '{key}' is not the priority tag: the queue reads priority from '{priorityKey}' (exact spelling). Rename the tag."));
            }
        }
    }

    /// <summary>SageMaker's pattern for S3 URIs: a scheme, then a bucket before any slash.</summary>
    [GeneratedRegex(@"\A(s3|https)://[^/\s]+(/\S*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex S3UriPattern();
}
