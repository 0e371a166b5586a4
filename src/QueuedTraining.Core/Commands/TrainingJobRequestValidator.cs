using System.Globalization;
using System.Text.RegularExpressions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Commands;

/// <summary>
/// Checks a CreateTrainingJob request against SageMaker's own limits and the queue's configuration,
/// so a job that SageMaker would refuse, or that could never fit a pool, is refused before it is stored.
/// </summary>
internal static partial class TrainingJobRequestValidator
{
    /// <summary>SageMaker's limit on tags per job.</summary>
    public const int MaxTags = 50;

    /// <summary>SageMaker's limit on hyperparameters per job.</summary>
    public const int MaxHyperParameters = 100;

    /// <summary>
    /// Returns every rule <paramref name="request"/> breaks, empty when it is acceptable, and the priority its tag
    /// holds (0 without one), read once here for the submission that follows.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(CreateTrainingJobRequest request, QueueOptions options, out int priority) =>
        Validate(request, options, out priority, out _);

    /// <summary>
    /// As <see cref="Validate(CreateTrainingJobRequest, QueueOptions, out int)"/>, and also the minimum runtime the job's
    /// tag asks for (null without one).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(CreateTrainingJobRequest request, QueueOptions options, out int priority, out TimeSpan? minimumRuntime)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<FieldError>();
        ValidateName(request.TrainingJobName, errors);
        priority = ValidateTags(request.Tags, options.PriorityTagKey, errors) ?? 0;
        minimumRuntime = ReadMinimumRuntime(request.Tags, options.MinimumRuntimeTagKey, errors);
        ValidateResources(request.ResourceConfig, options, errors);
        ValidateAlgorithm(request.AlgorithmSpecification, errors);
        ValidateOutput(request.OutputDataConfig, errors);
        ValidateStopping(request.StoppingCondition, request.EnableManagedSpotTraining, errors);
        ValidateCheckpoint(request.CheckpointConfig, errors);

        if (string.IsNullOrEmpty(request.RoleArn))
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "RoleArn", "RoleArn is required."));
        }
        else if (request.RoleArn.Length is < 20 or > 2048)
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "RoleArn", "RoleArn must be 20 to 2048 characters long."));
        }

        if (request.HyperParameters is { Count: > MaxHyperParameters })
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "HyperParameters", $"At most {MaxHyperParameters} hyperparameters are allowed."));
        }

        return errors;
    }

    /// <summary>Reads the priority tag; null when absent, an error when present but not an integer.</summary>
    public static int? ReadPriority(IReadOnlyList<Tag>? tags, string tagKey, out FieldError? error)
    {
        error = null;
        if (tags is null)
        {
            return null;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (!string.Equals(tags[i].Key, tagKey, StringComparison.Ordinal))
            {
                continue;
            }

            if (int.TryParse(tags[i].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
            {
                return priority;
            }

            error = new FieldError(
                ProblemCodes.InvalidPriority,
                $"Tags[{i}].Value",
                $"The '{tagKey}' tag must hold an integer, not '{tags[i].Value}'.");
            return null;
        }

        return null;
    }

    /// <summary>
    /// Reads the minimum-runtime tag: whole seconds, 0 or more. A request above the cap is kept as asked and cut when the
    /// scheduler decides, so the cap can change under queued jobs.
    /// </summary>
    private static TimeSpan? ReadMinimumRuntime(List<Tag>? tags, string tagKey, List<FieldError> errors)
    {
        var index = tags?.FindIndex(t => string.Equals(t.Key, tagKey, StringComparison.Ordinal)) ?? -1;
        if (index < 0)
        {
            return null;
        }

        var value = tags![index].Value;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add(new FieldError(
            ProblemCodes.InvalidField,
            $"Tags[{index}].Value",
            $"The '{tagKey}' tag must hold a whole number of seconds, not '{value}'."));
        return null;
    }

    private static void ValidateName(string? name, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new FieldError(ProblemCodes.InvalidJobName, "TrainingJobName", "TrainingJobName is required."));
        }
        else if (!JobNames.IsValid(name))
        {
            errors.Add(new FieldError(
                ProblemCodes.InvalidJobName,
                "TrainingJobName",
                "TrainingJobName must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit."));
        }
    }

    private static int? ValidateTags(List<Tag>? tags, string priorityKey, List<FieldError> errors)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(new FieldError(ProblemCodes.TooManyTags, "Tags", $"At most {MaxTags} tags are allowed; the request has {tags.Count}."));
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var key = tags[i].Key;
            var value = tags[i].Value ?? string.Empty;
            if (string.IsNullOrEmpty(key) || key.Length > 128 || !TagTextPattern().IsMatch(key))
            {
                errors.Add(new FieldError(ProblemCodes.InvalidField, $"Tags[{i}].Key", "A tag key must be 1 to 128 letters, digits, spaces or _.:/=+-@."));
            }

            if (value.Length > 256 || !TagTextPattern().IsMatch(value))
            {
                errors.Add(new FieldError(ProblemCodes.InvalidField, $"Tags[{i}].Value", "A tag value must be at most 256 letters, digits, spaces or _.:/=+-@."));
            }
        }

        ValidateTagKeysOnce(tags, priorityKey, errors);
        var priority = ReadPriority(tags, priorityKey, out var priorityError);
        if (priorityError is not null)
        {
            errors.Add(priorityError);
        }

        return priority;
    }

    private static void ValidateResources(ResourceConfig? resources, QueueOptions options, List<FieldError> errors)
    {
        if (resources is null)
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "ResourceConfig", "ResourceConfig is required."));
            return;
        }

        if (string.IsNullOrEmpty(resources.InstanceType))
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "ResourceConfig.InstanceType", "ResourceConfig.InstanceType is required."));
            return;
        }

        if (!options.Capacity.TryGetValue(resources.InstanceType, out var capacity))
        {
            errors.Add(new FieldError(
                ProblemCodes.UnknownInstanceType,
                "ResourceConfig.InstanceType",
                $"No capacity is configured for instance type '{resources.InstanceType}'. Configured: {string.Join(", ", options.Capacity.Keys.Order(StringComparer.Ordinal))}."));
            return;
        }

        if (resources.InstanceCount is not { } count)
        {
            errors.Add(new FieldError(ProblemCodes.MissingField, "ResourceConfig.InstanceCount", "ResourceConfig.InstanceCount is required."));
        }
        else if (count < 1)
        {
            errors.Add(new FieldError(ProblemCodes.InvalidField, "ResourceConfig.InstanceCount", "ResourceConfig.InstanceCount must be at least 1."));
        }
        else if (count > capacity)
        {
            errors.Add(new FieldError(
                ProblemCodes.InsufficientCapacity,
                "ResourceConfig.InstanceCount",
                $"The job needs {count} instances of '{resources.InstanceType}' but the pool holds {capacity}; it could never start."));
        }
    }

    [GeneratedRegex(@"\A[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagTextPattern();
}
