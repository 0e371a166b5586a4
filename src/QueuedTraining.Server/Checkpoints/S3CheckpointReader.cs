using Amazon.S3;
using Amazon.S3.Model;
using QueuedTraining.Core.Checkpoints;

namespace QueuedTraining.Server.Checkpoints;

/// <summary>
/// Reads when a job last checkpointed: the newest <c>LastModified</c> of the objects under its
/// <c>CheckpointConfig.S3Uri</c>, by <c>ListObjectsV2</c>. Called by the engine's checkpoint cache in the background, at
/// most once per location per refresh interval, never from a scheduling pass.
/// </summary>
internal sealed class S3CheckpointReader(IAmazonS3 s3) : ICheckpointReader
{
    /// <summary>
    /// The most listing pages read per location (1,000 objects each). A checkpoint folder holds a few files per save; one
    /// that holds more is judged by its first pages, which is still a lower bound on when it last saved.
    /// </summary>
    internal const int MaxPages = 10;

    /// <inheritdoc />
    public bool CanRead => true;

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken)
    {
        var (bucket, prefix) = Parse(s3Uri);
        DateTimeOffset? newest = null;
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                if (item.LastModified is { } modified)
                {
                    var at = new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero);
                    newest = newest is null || at > newest ? at : newest;
                }
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
            if (token is null)
            {
                break;
            }
        }

        return newest;
    }

    /// <summary>The bucket and key prefix of <c>s3://bucket/prefix</c>.</summary>
    internal static (string Bucket, string Prefix) Parse(string s3Uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(s3Uri);
        if (!s3Uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{s3Uri}' is not an s3:// location.", nameof(s3Uri));
        }

        var rest = s3Uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, string.Empty) : (rest[..slash], rest[(slash + 1)..]);
    }
}
