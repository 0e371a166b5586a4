using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Text;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.DynamoDB.Tests;

/// <summary>What the DynamoDB store must do beyond the shared contract: paging, races, holder lists, set-up.</summary>
[Collection(MotoServerTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class DynamoDBJobStoreTests(MotoServerFixture moto) : IAsyncLifetime
{
    private string _table = string.Empty;
    private DynamoDBJobStore? _store;

    private DynamoDBJobStore Store => _store!;

    public async Task InitializeAsync()
    {
        _table = await moto.CreateTableAsync();
        _store = new DynamoDBJobStore(moto.Options(_table));
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await moto.DeleteTableAsync(_table);
    }

    [Fact]
    public async Task ListAsync_ManyPages_VisitsEveryJobOnceInQueueOrder()
    {
        var jobs = Enumerable.Range(0, 23)
            .Select(i => TestJobs.Job($"job-{i:D2}", priority: i % 4, enqueuedAt: TestJobs.Epoch.AddSeconds(i)))
            .ToList();
        foreach (var job in jobs)
        {
            await Store.AddAsync(job);
        }

        var (seen, pages) = await ListAllAsync(null, 5);

        Assert.Equal(jobs.OrderBy(j => j.QueueKey, StringComparer.Ordinal).Select(j => j.Name), seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task ListAsync_ExactMultipleOfPageSize_HasNoEmptyLastPage()
    {
        foreach (var i in Enumerable.Range(0, 6))
        {
            await Store.AddAsync(TestJobs.Job($"job-{i}", state: JobState.Running, enqueuedAt: TestJobs.Epoch.AddSeconds(i)));
        }

        var (seen, pages) = await ListAllAsync(JobState.Running, 3);

        Assert.Equal(6, seen.Count);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task ListAsync_TokenOfOtherStateFilter_ThrowsInvalidPageToken()
    {
        foreach (var i in Enumerable.Range(0, 3))
        {
            await Store.AddAsync(TestJobs.Job($"job-{i}"));
        }

        var first = await Store.ListAsync(new JobListQuery(null, 1));

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Store.ListAsync(new JobListQuery(JobState.Pending, 1, first.NextPageToken)));
    }

    [Theory]
    [InlineData("{\"v\":1,\"s\":null,\"n\":\"\",\"q\":\"x\"}")]
    [InlineData("{\"v\":2,\"s\":null,\"n\":\"a\",\"q\":\"x\"}")]
    [InlineData("{\"v\":1}")]
    [InlineData("[1,2,3]")]
    [InlineData("not json")]
    public async Task ListAsync_EditedToken_ThrowsInvalidPageToken(string json)
    {
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Store.ListAsync(new JobListQuery(null, 10, token)));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoStoresRaceForFreeLease_ExactlyOneWinsAndTheOtherIsFenced()
    {
        await using var other = new DynamoDBJobStore(moto.Options(_table));
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;
        var t = TestJobs.Epoch;

        var leases = await Task.WhenAll(
            Store.TryAcquireLeaseAsync("replica-1", t, TimeSpan.FromSeconds(30)),
            other.TryAcquireLeaseAsync("replica-2", t, TimeSpan.FromSeconds(30)));

        var winner = Assert.Single(leases, l => l is not null)!;
        var loser = new SchedulerLease(winner.Holder == "replica-1" ? "replica-2" : "replica-1", winner.Token, winner.ExpiresAt);
        var rejected = await other.TryUpdateAsync(job, job with { State = JobState.Starting }, loser);
        var accepted = await Store.TryUpdateAsync(job, job with { State = JobState.Starting }, winner);
        Assert.Equal(JobUpdateOutcome.FenceRejected, rejected.Outcome);
        Assert.Equal(JobUpdateOutcome.Updated, accepted.Outcome);
    }

    [Fact]
    public async Task TryUpdateAsync_FenceWithoutAnyLease_IsRejected()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;

        var result = await Store.TryUpdateAsync(job, job with { State = JobState.Starting }, new SchedulerLease("replica-1", 1, TestJobs.Epoch));

        Assert.Equal(JobUpdateOutcome.FenceRejected, result.Outcome);
        Assert.Equal(JobState.Pending, (await Store.GetAsync("job-a"))!.State);
    }

    [Fact]
    public async Task GetHoldingCapacityAsync_JobMovesPoolsThenEnds_HolderListsFollowIt()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a", state: JobState.Running))).Job;
        var moved = (await Store.TryUpdateAsync(job, job with { InstanceType = TestJobs.G5 })).Job!;

        Assert.Empty(await Store.GetHoldingCapacityAsync(TestJobs.P5));
        Assert.Equal(["job-a"], (await Store.GetHoldingCapacityAsync(TestJobs.G5)).Select(j => j.Name));

        await Store.TryUpdateAsync(moved, moved with { State = JobState.Completed });

        Assert.Empty(await Store.GetHoldingCapacityAsync(TestJobs.G5));
    }

    [Fact]
    public async Task GetHoldingCapacityAsync_ConcurrentStartsInOnePool_SeesEveryHolder()
    {
        var jobs = await AddJobsAsync(8);

        // Every start touches the same pool item; concurrent requests must all land.
        var results = await Task.WhenAll(jobs.Select(j => Store.TryUpdateAsync(j, j with { State = JobState.Starting })));

        Assert.All(results, r => Assert.Equal(JobUpdateOutcome.Updated, r.Outcome));
        Assert.Equal(jobs.Select(j => j.Name).Order(), (await Store.GetHoldingCapacityAsync(TestJobs.P5)).Select(j => j.Name).Order());
    }

    [Fact]
    public async Task TryUpdateAsync_TransactionConflicts_RetriesUntilItLands()
    {
        await using var proxy = new SerializingProxy(moto.ServiceUrl);
        await using var store = new DynamoDBJobStore(MotoServerFixture.Options(_table, proxy.Url));
        var job = (await store.AddAsync(TestJobs.Job("job-a"))).Job;
        var conflicts = 0;
        proxy.Intercept = (operation, _) => operation == "TransactWriteItems" && conflicts++ < 3 ? TransactionConflict(items: 2) : null;

        var result = await store.TryUpdateAsync(job, job with { State = JobState.Starting });

        Assert.Equal(JobUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(4, conflicts);
        Assert.Equal(["job-a"], (await Store.GetHoldingCapacityAsync(TestJobs.P5)).Select(j => j.Name));
    }

    [Fact]
    public async Task TryUpdateAsync_ConflictsOutlastTheRetries_ReportsAVersionConflictAndWritesNothing()
    {
        await using var proxy = new SerializingProxy(moto.ServiceUrl);
        await using var store = new DynamoDBJobStore(MotoServerFixture.Options(_table, proxy.Url));
        var job = (await store.AddAsync(TestJobs.Job("job-a"))).Job;
        proxy.Intercept = (operation, _) => operation == "TransactWriteItems" ? TransactionConflict(items: 2) : null;

        var result = await store.TryUpdateAsync(job, job with { State = JobState.Starting });

        // The caller re-reads and decides again, as after any lost race.
        Assert.Equal(JobUpdateOutcome.VersionConflict, result.Outcome);
        Assert.Equal(JobState.Pending, (await Store.GetAsync("job-a"))!.State);
        Assert.Empty(await Store.GetHoldingCapacityAsync(TestJobs.P5));
    }

    [Fact]
    public async Task FindByIdempotencyKeyAsync_OwnerAndKeyThatConcatenateAlike_AreKeptApart()
    {
        await Store.AddAsync(TestJobs.Job("job-a", owner: "a#b", idempotencyKey: "c"));

        Assert.Null(await Store.FindByIdempotencyKeyAsync("a", "b#c"));
        Assert.Equal("job-a", (await Store.FindByIdempotencyKeyAsync("a#b", "c"))?.Name);
    }

    [Fact]
    public async Task EnsureTableAsync_TableExists_ChecksItAndChangesNothing()
    {
        using var client = moto.CreateClient();
        await Store.AddAsync(TestJobs.Job("job-a"));

        await new DynamoDBTableInitializer(client, _table).EnsureTableAsync();

        Assert.NotNull(await Store.GetAsync("job-a"));
    }

    [Fact]
    public async Task CreateTableAsync_TableExists_Throws()
    {
        using var client = moto.CreateClient();

        await Assert.ThrowsAsync<ResourceInUseException>(() => new DynamoDBTableInitializer(client, _table).CreateTableAsync());
    }

    [Fact]
    public void Validate_EmptyTableAndLoneAccessKey_ListsEveryProblem()
    {
        var options = new DynamoDBJobStoreOptions { TableName = "", AccessKeyId = "AKIA" };

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Contains("TableName", error.Message, StringComparison.Ordinal);
        Assert.Contains("SecretAccessKey", error.Message, StringComparison.Ordinal);
    }

    /// <summary>DynamoDB's answer to a transaction cancelled because another one held its items.</summary>
    private static ProxyReply TransactionConflict(int items)
    {
        var reasons = string.Join(",", Enumerable.Repeat("""{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}""", items));
        return new ProxyReply(
            System.Net.HttpStatusCode.BadRequest,
            $$"""{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{{reasons}}]}""");
    }

    private async Task<List<Core.Jobs.QueuedJob>> AddJobsAsync(int count)
    {
        var jobs = new List<Core.Jobs.QueuedJob>();
        foreach (var i in Enumerable.Range(0, count))
        {
            jobs.Add((await Store.AddAsync(TestJobs.Job($"job-{i}"))).Job);
        }

        return jobs;
    }

    private async Task<(List<string> Names, int Pages)> ListAllAsync(JobState? state, int pageSize)
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(new JobListQuery(state, pageSize, token));
            names.AddRange(page.Jobs.Select(j => j.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 100);

        return (names, pages);
    }
}
