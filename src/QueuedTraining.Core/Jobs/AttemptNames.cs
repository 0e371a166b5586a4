using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// Names the SageMaker job of each attempt. SageMaker names are unique forever in an account, so every
/// attempt needs its own: the user's name (shortened when needed) plus <c>-q{attempt}-{tag}</c>, where
/// the tag is derived from the job's enqueue time so a later job that reuses the name gets other names.
/// </summary>
internal static class AttemptNames
{
    /// <summary>SageMaker's limit on a training job name.</summary>
    public const int MaxLength = 63;

    /// <summary>The SageMaker name of attempt <paramref name="attempt"/> of a job.</summary>
    public static string Create(string jobName, int attempt, DateTimeOffset enqueuedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        var seed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{jobName}|{enqueuedAt.UtcTicks}"));
        var tag = Convert.ToHexStringLower(SHA256.HashData(seed))[..4];
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-q{attempt}-{tag}");
        var stem = jobName.Length + suffix.Length <= MaxLength ? jobName : jobName[..(MaxLength - suffix.Length)].TrimEnd('-');
        return stem + suffix;
    }
}
