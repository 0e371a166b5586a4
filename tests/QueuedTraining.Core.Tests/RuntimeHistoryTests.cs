using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class RuntimeHistoryTests
{
    private static RuntimeHistory History(int window = 30) =>
        new(new StaticOptionsMonitor(new QueueOptions { Capacity = { [TestJobs.P5] = 2 }, ForecastWindow = window }));

    private static QueuedJob Completed(string name, double minutes, DateTimeOffset endedAt, int maxRuntimeSeconds = 86_400, string owner = "alice")
    {
        var job = TestJobs.Job(name, state: JobState.Completed, owner: owner);
        return job with
        {
            RequestJson = job.RequestJson.Replace("\"MaxRuntimeInSeconds\":86400", $"\"MaxRuntimeInSeconds\":{maxRuntimeSeconds}", StringComparison.Ordinal),
            EndedAt = endedAt,
            Attempts = [new JobAttempt(1, name, endedAt.AddMinutes(-minutes), endedAt, "Completed")],
        };
    }

    [Fact]
    public void EstimateFor_FamilyRunsShift_FollowsTheNewestWindow()
    {
        var history = History(window: 4);
        for (var i = 0; i < 4; i++)
        {
            history.Record(Completed($"resnet-{i}", 10, TestJobs.Epoch.AddHours(i)));
        }

        Assert.Equal(TimeSpan.FromMinutes(10), history.EstimateFor(TestJobs.Job("resnet-99")).Quantile(DurationEstimate.Median, TimeSpan.Zero));
        for (var i = 4; i < 7; i++)
        {
            history.Record(Completed($"resnet-{i}", 20, TestJobs.Epoch.AddHours(i)));
        }

        var estimate = history.EstimateFor(TestJobs.Job("resnet-99"));
        Assert.Equal(TimeSpan.FromMinutes(20), estimate.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Equal("4 recent runs of family resnet by alice, median 20 min", estimate.Basis);
    }

    [Fact]
    public void EstimateFor_TooFewFamilyOrOwnerRuns_ScalesThePoolsShareOfMaxRuntime()
    {
        var history = History();
        history.Record(Completed("bert-1", 30, TestJobs.Epoch, maxRuntimeSeconds: 3_600, owner: "bob"));
        history.Record(Completed("gpt-1", 30, TestJobs.Epoch.AddHours(1), maxRuntimeSeconds: 3_600, owner: "bob"));
        history.Record(Completed("t5-1", 30, TestJobs.Epoch.AddHours(2), maxRuntimeSeconds: 3_600, owner: "carol"));

        // Every pool run took half its bound; the new job's bound is a day.
        var estimate = history.EstimateFor(TestJobs.Job("resnet-1"));
        Assert.Equal(TimeSpan.FromHours(12), estimate.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.StartsWith("no runs of family resnet yet: 3 recent ml.p5.48xlarge runs, median 50", estimate.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimateFor_NewFamilyOfAKnownOwner_ScalesTheOwnersShareOfMaxRuntime()
    {
        var history = History();
        history.Record(Completed("bert-1", 15, TestJobs.Epoch, maxRuntimeSeconds: 3_600));
        history.Record(Completed("gpt-1", 15, TestJobs.Epoch.AddHours(1), maxRuntimeSeconds: 3_600));
        history.Record(Completed("t5-1", 15, TestJobs.Epoch.AddHours(2), maxRuntimeSeconds: 3_600));
        for (var i = 0; i < 3; i++)
        {
            history.Record(Completed($"bob-{i}", 60, TestJobs.Epoch.AddHours(3 + i), maxRuntimeSeconds: 3_600, owner: "bob"));
        }

        // Alice's runs took a quarter of their bound, bob's all of it; alice's new job's bound is a day.
        var estimate = history.EstimateFor(TestJobs.Job("resnet-1"));
        Assert.Equal(TimeSpan.FromHours(6), estimate.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.StartsWith("no runs of family resnet yet: 3 recent ml.p5.48xlarge runs by alice, median 25", estimate.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimateFor_FamilySharedByOwners_PrefersTheOwnersOwnRunsElseTheWholeFamily()
    {
        var history = History();
        for (var i = 0; i < 3; i++)
        {
            history.Record(Completed($"train-{i}", 10, TestJobs.Epoch.AddHours(i)));
        }

        for (var i = 3; i < 7; i++)
        {
            history.Record(Completed($"train-{i}", 60, TestJobs.Epoch.AddHours(i), owner: "bob"));
        }

        var alices = history.EstimateFor(TestJobs.Job("train-99"));
        var carols = history.EstimateFor(TestJobs.Job("train-98", owner: "carol"));

        Assert.Equal(TimeSpan.FromMinutes(10), alices.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Equal("3 recent runs of family train by alice, median 10 min", alices.Basis);
        Assert.Equal(TimeSpan.FromHours(1), carols.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Equal("7 recent runs of family train, median 1 h 00", carols.Basis);
    }

    [Fact]
    public void EstimateFor_NoRunsAnywhere_TakesHalfOfMaxRuntime()
    {
        var estimate = History().EstimateFor(TestJobs.Job("resnet-1"));
        Assert.Equal(TimeSpan.FromHours(12), estimate.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Contains("half of its MaxRuntime", estimate.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_SameJobTwiceOrNotCompleted_CountsOnce()
    {
        var history = History();
        var run = Completed("resnet-1", 10, TestJobs.Epoch);
        history.Record(run);
        history.Record(run);
        history.Record(Completed("resnet-2", 10, TestJobs.Epoch.AddHours(1)));
        history.Record(Completed("resnet-3", 10, TestJobs.Epoch.AddHours(2)) with { State = JobState.Failed });

        Assert.Contains("half of its MaxRuntime", history.EstimateFor(TestJobs.Job("resnet-9")).Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_AppliedAndReadBackAtStart_GivesTheSameEstimate()
    {
        await using var harness = new SchedulerHarness();
        for (var i = 1; i <= 3; i++)
        {
            await harness.SubmitAsync($"sweep-{i}", priority: 1, seconds: 600 * i);
        }

        await harness.SettleAsync();
        for (var step = 0; step < 8; step++)
        {
            await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(JobState.Completed, await harness.StateOf("sweep-3"));

        var live = harness.Services.GetRequiredService<RuntimeHistory>().EstimateFor(TestJobs.Job("sweep-9"));
        var seeded = History();
        await seeded.EnsureSeededAsync(harness.Store);
        var fromStore = seeded.EstimateFor(TestJobs.Job("sweep-9"));

        Assert.StartsWith("3 recent runs of family sweep by alice, median 20 min", live.Basis, StringComparison.Ordinal);
        Assert.Equal(live, fromStore, (a, b) => a.Basis == b.Basis && a.Runtimes.SequenceEqual(b.Runtimes));
    }
}
