using System.Net;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_AfterConcurrentSubmissions_KeepsEveryAcknowledgedJobExactlyOnce()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("qt-restart-").FullName, "jobs.db");
        var acknowledged = new List<string>();
        await using (var first = await RunningQueueService.StartAsync(path))
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => first.SubmitAsync(TestJobs.Request($"job-{i}", i % 5, TestJobs.G5))));
            acknowledged.AddRange(responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.Accepted).Select(x => $"job-{x.i}"));
        }

        await using var second = await RunningQueueService.StartAsync(path);
        var seen = new List<TrainingJobResource>();
        string? token = null;
        do
        {
            var page = await second.ListAsync(token is null ? "?pageSize=25" : $"?pageSize=25&pageToken={Uri.EscapeDataString(token)}");
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(60, acknowledged.Count);
        Assert.Equal(acknowledged.Order(), seen.Select(j => j.Name).Order());
        Assert.True(seen.Count(j => j.State is JobState.Running or JobState.Starting) <= 1);
    }
}
