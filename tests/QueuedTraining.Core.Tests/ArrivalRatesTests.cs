using QueuedTraining.Core.Forecasting;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>How the work arriving ahead of a waiting job widens its <c>latest</c>.</summary>
public sealed class ArrivalRatesTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddDays(1);
    private static readonly TimeSpan Window = TimeSpan.FromHours(10);

    // Over 10 h: 20 instance-hours at priority 5, 10 at priority 3, 40 at priority 1.
    private static ArrivalRates Rates() => new(Window, [(5, Hours(20)), (3, Hours(4)), (3, Hours(6)), (1, Hours(40))]);

    [Theory]
    [InlineData(5, 0.0)]
    [InlineData(4, 2.0)]
    [InlineData(3, 2.0)]
    [InlineData(2, 3.0)]
    [InlineData(0, 7.0)]
    public void Above_ByPriority_CountsOnlyStrictlyHigherWork(int priority, double instances)
    {
        Assert.Equal(instances, Rates().Above(priority), 9);
    }

    [Fact]
    public void Widen_LoadBelowOneWithinTheWindow_IsTheBusyPeriod()
    {
        // Priority 2 sees 3 instances' worth of work ahead in a pool of 4: ρ = 0.75, so 1 h becomes 1 ÷ 0.25 = 4 h.
        Assert.Equal(TimeSpan.FromHours(4), Rates().Widen(TimeSpan.FromHours(1), 2, capacity: 4));
    }

    [Fact]
    public void Widen_BusyPeriodBeyondTheWindow_CountsArrivalsOverTheWindowOnly()
    {
        // ρ = 0.75: 3 h would become 12 h, past the 10 h window; arrivals over 10 h add 7.5 h.
        Assert.Equal(TimeSpan.FromHours(10.5), Rates().Widen(TimeSpan.FromHours(3), 2, capacity: 4));
    }

    [Fact]
    public void Widen_LoadAboveCapacity_StaysFinite()
    {
        // Priority 0 sees 7 instances' worth ahead in a pool of 4: ρ = 1.75, the window's arrivals add 17.5 h.
        Assert.Equal(TimeSpan.FromHours(18.5), Rates().Widen(TimeSpan.FromHours(1), 0, capacity: 4));
    }

    [Fact]
    public void Widen_NothingArrivesAhead_KeepsTheWait()
    {
        Assert.Equal(TimeSpan.FromHours(1), Rates().Widen(TimeSpan.FromHours(1), 5, capacity: 4));
    }

    [Fact]
    public void AllowFor_OutrankedJob_MovesLatestAndSaysWhy()
    {
        var (latest, note) = Rates().AllowFor(Now.AddHours(1), 2, Now, capacity: 4);

        Assert.Equal(Now.AddHours(4), latest);
        Assert.Equal("; latest allows for higher-priority work arriving at 3 instance-hours per hour, as over the last 10 h 00", note);
    }

    [Fact]
    public void AllowFor_NothingAheadOrAlreadyDue_LeavesLatestAndSaysNothing()
    {
        Assert.Equal((Now.AddHours(1), (string?)null), Rates().AllowFor(Now.AddHours(1), 5, Now, capacity: 4));
        Assert.Equal((Now.AddHours(-1), (string?)null), Rates().AllowFor(Now.AddHours(-1), 2, Now, capacity: 4));
    }

    private static double Hours(double instanceHours) => instanceHours * 3600;
}
