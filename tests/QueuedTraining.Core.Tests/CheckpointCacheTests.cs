using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Core.Checkpoints;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class CheckpointCacheTests
{
    private const string Uri = "s3://bucket/checkpoints/job";

    [Fact]
    public async Task RefreshAsync_AnEarlierReadAnswersLast_KeepsTheLaterReadsAnswer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var reader = new GatedReader();
        var cache = new CheckpointCache(reader, new StaticOptionsMonitor(new QueueOptions()), time, NullLogger<CheckpointCache>.Instance);
        var stale = reader.Next();
        var earlier = cache.RefreshAsync(Uri);
        var fresh = reader.Next();
        var later = cache.RefreshAsync(Uri);

        fresh.SetResult(time.GetUtcNow().AddSeconds(-10));
        await later;
        stale.SetResult(null);
        await earlier;

        Assert.Equal(time.GetUtcNow().AddSeconds(-10), cache.NewestOf(Uri));
    }

    /// <summary>Answers each read when the test says, so that reads can finish out of order.</summary>
    private sealed class GatedReader : ICheckpointReader
    {
        private readonly Queue<TaskCompletionSource<DateTimeOffset?>> _answers = new();

        public bool CanRead => true;

        public TaskCompletionSource<DateTimeOffset?> Next()
        {
            var answer = new TaskCompletionSource<DateTimeOffset?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _answers.Enqueue(answer);
            return answer;
        }

        public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) => _answers.Dequeue().Task;
    }
}
