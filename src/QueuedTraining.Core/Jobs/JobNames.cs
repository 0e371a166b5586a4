using System.Text.RegularExpressions;

namespace QueuedTraining.Core.Jobs;

/// <summary>SageMaker's rule for a training job name, in one place for every surface that checks one.</summary>
public static partial class JobNames
{
    /// <summary>SageMaker's limit on a training job name.</summary>
    public const int MaxLength = 63;

    /// <summary>
    /// True for 1 to 63 letters, digits and hyphens that start and end with a letter or digit. The whole string must
    /// match: a trailing newline or a run of hyphens past the limit is refused.
    /// </summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Pattern().IsMatch(name);

    [GeneratedRegex(@"\A[a-zA-Z0-9](-*[a-zA-Z0-9])*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
