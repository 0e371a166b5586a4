using QueuedTraining.Core.Planning;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Compares what two plans decide, leaving out the reasons they give.</summary>
internal static class PlanAssert
{
    /// <summary>
    /// <paramref name="silent"/>, planned without reasons, decides exactly what <paramref name="explained"/> does, and
    /// gives no reasons.
    /// </summary>
    public static void SameDecisions(PoolPlan explained, PoolPlan silent)
    {
        Assert.Equal(Names(explained.Starts), Names(silent.Starts));
        Assert.Equal(
            explained.Preemptions.Select(p => (p.Victim.Name, p.For.Name, p.Rule, p.ReclaimedFor)),
            silent.Preemptions.Select(p => (p.Victim.Name, p.For.Name, p.Rule, p.ReclaimedFor)));
        Assert.Equal(Names(explained.StaleClaims), Names(silent.StaleClaims));
        Assert.Equal(explained.NeedsMoreWaiting, silent.NeedsMoreWaiting);
        Assert.Equal(explained.Sources?.OrderBy(s => s.Key, StringComparer.Ordinal), silent.Sources?.OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.Empty(silent.Waits);
    }

    private static IEnumerable<string> Names(IEnumerable<Jobs.QueuedJob> jobs) => jobs.Select(j => j.Name);
}
