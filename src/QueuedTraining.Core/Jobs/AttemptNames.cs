using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// Names the SageMaker job of each attempt. The first attempt runs under the user's own name, so CloudWatch log
/// groups, the model's S3 path (<c>&lt;S3OutputPath&gt;/&lt;TrainingJobName&gt;/output/model.tar.gz</c>) and every tool
/// that looks the job up by its name find it. SageMaker names are unique forever in an account, so every later attempt
/// (after a preemption or a refused start), and the first one when the name is already taken on SageMaker, runs as
/// the user's name plus <c>-q{attempt}-{tag}</c>, where the tag is a digest of the whole name and the job's enqueue
/// time, so a later job that reuses the name gets other names.
/// </summary>
/// <remarks>
/// A name that fits whole keeps a short tag: the name itself is unique in the queue. A name that must be shortened
/// loses what tells it apart from other long names with the same beginning, so its tag grows to 48 bits of the digest
/// of the whole name: two such names then collide with odds of about one in 2^24 among thousands of jobs, where a
/// 16-bit tag made collisions a certainty.
/// </remarks>
internal static class AttemptNames
{
    /// <summary>SageMaker's limit on a training job name.</summary>
    public const int MaxLength = JobNames.MaxLength;

    private const int ShortTag = 4;
    private const int LongTag = 12;

    /// <summary>The SageMaker name of the next attempt of <paramref name="job"/>.</summary>
    public static string ForNextAttempt(QueuedJob job) =>
        job.NextAttemptNumber == 1 && job.Attempts.IsEmpty && !job.OwnNameTaken
            ? job.Name
            : Create(job.Name, job.NextAttemptNumber, job.EnqueuedAt);

    /// <summary>The suffixed SageMaker name of attempt <paramref name="attempt"/> of a job.</summary>
    public static string Create(string jobName, int attempt, DateTimeOffset enqueuedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        var seed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{jobName}|{enqueuedAt.UtcTicks}"));
        var digest = Convert.ToHexStringLower(SHA256.HashData(seed));
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-q{attempt}-{digest[..ShortTag]}");
        if (jobName.Length + suffix.Length <= MaxLength)
        {
            return jobName + suffix;
        }

        suffix = string.Create(CultureInfo.InvariantCulture, $"-q{attempt}-{digest[..LongTag]}");
        return jobName[..(MaxLength - suffix.Length)].TrimEnd('-') + suffix;
    }
}
