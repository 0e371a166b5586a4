namespace QueuedTraining.Core.Teams;

/// <summary>
/// Decayed usage, the quantity fair share orders teams by: instance-seconds, each worth half as much one half-life later.
/// </summary>
internal static class FairShareUsage
{
    /// <summary>
    /// <paramref name="usage"/> <paramref name="elapsed"/> later, decayed, plus the decayed instance-seconds of holding
    /// <paramref name="held"/> instances throughout: held × H/ln 2 × (1 − 2^(−t/H)), which is held × t while t is short.
    /// </summary>
    public static double Advance(double usage, int held, TimeSpan elapsed, TimeSpan halfLife)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return usage;
        }

        var halfLives = elapsed / halfLife;
        var remaining = Math.Pow(2, -halfLives);
        return (usage * remaining) + (held * halfLife.TotalSeconds / Math.Log(2) * (1 - remaining));
    }
}
