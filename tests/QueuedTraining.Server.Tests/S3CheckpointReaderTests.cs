using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.SageMaker;
using QueuedTraining.Server.Checkpoints;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>The checkpoint reader against moto_server's S3, with real objects.</summary>
public sealed class S3CheckpointReaderTests : IClassFixture<MotoServer>, IAsyncLifetime
{
    private const string Bucket = "checkpoints";
    private readonly IAmazonS3 _s3;
    private readonly S3CheckpointReader _reader;

    public S3CheckpointReaderTests(MotoServer moto)
    {
        _s3 = CheckpointS3Client.Create(new SageMakerClientOptions { Region = "us-east-1", AccessKey = "testing", SecretKey = "testing" }, moto.ServiceUrl);
        _reader = new S3CheckpointReader(_s3);
    }

    public async Task InitializeAsync()
    {
        try
        {
            await _s3.PutBucketAsync(Bucket);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetNewestAsync_SeveralObjectsUnderThePrefix_ReturnsTheNewestLastModifiedOfThatPrefixOnly()
    {
        await PutAsync("job-a/checkpoint-1.pt");
        await Task.Delay(1100); // S3 times have whole seconds: the later save must be a later second.
        await PutAsync("job-a/checkpoint-2.pt");
        var newest = (await _s3.GetObjectMetadataAsync(Bucket, "job-a/checkpoint-2.pt")).LastModified!.Value.ToUniversalTime();
        await Task.Delay(1100);
        await PutAsync("job-ab/other.pt");

        var read = await _reader.GetNewestAsync($"s3://{Bucket}/job-a/", CancellationToken.None);

        Assert.Equal(new DateTimeOffset(newest, TimeSpan.Zero), read);
    }

    [Fact]
    public async Task GetNewestAsync_NothingSavedYet_ReturnsNull()
    {
        Assert.Null(await _reader.GetNewestAsync($"s3://{Bucket}/never-saved/", CancellationToken.None));
    }

    [Fact]
    public async Task CheckpointCache_RefreshedFromS3_GivesTheRunningJobItsLastCheckpointTime()
    {
        await PutAsync("job-c/step-100.pt");
        var saved = (await _s3.GetObjectMetadataAsync(Bucket, "job-c/step-100.pt")).LastModified!.Value.ToUniversalTime();
        var cache = new CheckpointCache(_reader, new FixedOptions(new QueueOptions()), TimeProvider.System, NullLogger<CheckpointCache>.Instance);
        var job = TestJobs.Job("job-c", 1, JobState.Running) with { CheckpointS3Uri = $"s3://{Bucket}/job-c/" };

        await cache.RefreshAsync(job.CheckpointS3Uri!);
        var observed = Assert.Single(cache.Observe([job], DateTimeOffset.UtcNow));

        Assert.Equal(new DateTimeOffset(saved, TimeSpan.Zero), observed.LastCheckpointAt);
    }

    [Theory]
    [InlineData("s3://bucket/a/b/", "bucket", "a/b/")]
    [InlineData("s3://bucket", "bucket", "")]
    public void Parse_S3Uri_SplitsBucketAndPrefix(string uri, string bucket, string prefix) =>
        Assert.Equal((bucket, prefix), S3CheckpointReader.Parse(uri));

    private Task<PutObjectResponse> PutAsync(string key) =>
        _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "weights" });

    private sealed class FixedOptions(QueueOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<QueueOptions>
    {
        public QueueOptions CurrentValue => value;

        public QueueOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<QueueOptions, string?> listener) => null;
    }
}
