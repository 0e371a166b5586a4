using QueuedTraining.Core.Forecasting;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class DurationEstimateTests
{
    private static readonly DurationEstimate TenRuns =
        new(Enumerable.Range(1, 10).Select(m => TimeSpan.FromMinutes(m * 10)).ToList(), TimeSpan.FromMinutes(90), "ten runs");

    [Fact]
    public void Quantile_NotStarted_IsTheNearestRankCappedByMaxRuntime()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), TenRuns.Quantile(DurationEstimate.Early, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMinutes(50), TenRuns.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMinutes(90), TenRuns.Quantile(0.99, TimeSpan.Zero));
    }

    [Fact]
    public void Quantile_RunningPastMostRuns_CountsOnlyRunsAtLeastThatLong()
    {
        // Runs of 70, 80, 90 and 100 min are at least 65 min long: the median of those is 80.
        Assert.Equal(TimeSpan.FromMinutes(80), TenRuns.Quantile(DurationEstimate.Median, TimeSpan.FromMinutes(65)));
    }

    [Fact]
    public void Quantile_NoRunLastedAsLong_EndsNowAndNeverPastMaxRuntime()
    {
        var shortRuns = TenRuns with { MaxRuntime = TimeSpan.FromHours(5) };
        Assert.Equal(TimeSpan.FromMinutes(120), shortRuns.Quantile(DurationEstimate.Median, TimeSpan.FromMinutes(120)));
        Assert.Equal(TimeSpan.FromMinutes(90), TenRuns.Quantile(DurationEstimate.Median, TimeSpan.FromMinutes(120)));
    }

    [Fact]
    public void Quantile_NoRuns_SpreadsEvenlyOverWhatIsLeftOfMaxRuntime()
    {
        var none = new DurationEstimate([], TimeSpan.FromMinutes(100), "none");
        Assert.Equal(TimeSpan.FromMinutes(50), none.Quantile(DurationEstimate.Median, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMinutes(60), none.Quantile(DurationEstimate.Median, TimeSpan.FromMinutes(20)));
    }

    [Theory]
    [InlineData(3_600 * 2 + 5 * 60, "2 h 05")]
    [InlineData(40 * 60, "40 min")]
    [InlineData(45, "45 s")]
    public void Format_Durations_ReadAsPeopleWriteThem(int seconds, string expected) =>
        Assert.Equal(expected, DurationEstimate.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("resnet-sweep-20260101-3", "resnet-sweep")]
    [InlineData("resnet-sweep-7", "resnet-sweep")]
    [InlineData("bert_base.2026.01.05", "bert_base")]
    [InlineData("12345", "12345")]
    [InlineData("llama", "llama")]
    public void FamilyFromName_TrailingNumbersAndDates_AreRemoved(string name, string family) =>
        Assert.Equal(family, JobTraits.FamilyFromName(name));

    [Fact]
    public void Of_FamilyTag_WinsOverTheNameAndMaxRuntimeIsRead()
    {
        var job = TestJobs.Job("resnet-sweep-3");
        var tagged = job with { RequestJson = job.RequestJson.Replace("\"Tags\":[", "\"Tags\":[{\"Key\":\"team-family\",\"Value\":\"vision\"},", StringComparison.Ordinal) };

        Assert.Equal(new JobTraits(TimeSpan.FromDays(1), "resnet-sweep"), JobTraits.Of(job, "team-family"));
        Assert.Equal(new JobTraits(TimeSpan.FromDays(1), "vision"), JobTraits.Of(tagged, "team-family"));
    }
}
