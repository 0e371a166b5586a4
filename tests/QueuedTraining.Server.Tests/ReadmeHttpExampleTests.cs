using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>The README's curl example is what a newcomer types first: it must be accepted as written.</summary>
public sealed partial class ReadmeHttpExampleTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ReadmeCurlSubmission_AsWritten_IsQueuedAndStarts()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"));
        var match = CurlBody().Match(readme);
        Assert.True(match.Success, "README.md has no `curl -X POST .../v1/jobs ... -d '{...}'` example.");

        var response = await _service.Client.PostAsync("/v1/jobs", new StringContent(match.Groups["body"].Value, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await _service.WaitForStateAsync("job1", JobState.Running);
        Assert.Equal(100, started.Priority);
    }

    [GeneratedRegex(@"curl -s -X POST localhost:\d+/v1/jobs [^\n]*-d '(?<body>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlBody();
}
