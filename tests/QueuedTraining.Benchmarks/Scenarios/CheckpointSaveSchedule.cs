namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// When a trace job saves its checkpoints during one attempt: exactly every period from the attempt's start, or with
/// drift, as real jobs do (each gap uniform within ±<see cref="Jitter"/> of the period, and a save skipped now and
/// then, so that a head waiting for it is kept waiting). The drift is seeded per job and attempt, so every replay and
/// every read of the same attempt sees the same saves.
/// </summary>
internal sealed class CheckpointSaveSchedule
{
    private readonly int _seed;

    private CheckpointSaveSchedule(string name, double jitter, double skipChance, int seed)
    {
        Name = name;
        Jitter = jitter;
        SkipChance = skipChance;
        _seed = seed;
    }

    /// <summary>Every save exactly one period after the previous one.</summary>
    public static CheckpointSaveSchedule Exact { get; } = new("exact", 0, 0, 0);

    /// <summary>Gaps within ±25 % of the period; 5 % of saves do not happen.</summary>
    public static CheckpointSaveSchedule Drifting { get; } = new("drifting", 0.25, 0.05, 16_016);

    /// <summary>A short name for logs and figures.</summary>
    public string Name { get; }

    /// <summary>How far a gap may stray from the period, as a fraction of it.</summary>
    public double Jitter { get; }

    /// <summary>The chance that a due save is skipped, leaving the gap until the next one twice as long or more.</summary>
    public double SkipChance { get; }

    /// <summary>The newest save of the attempt of <paramref name="job"/> started at <paramref name="attemptStart"/> at or before <paramref name="now"/>.</summary>
    public DateTimeOffset? NewestSave(string job, TimeSpan period, DateTimeOffset attemptStart, DateTimeOffset now)
    {
        if (Jitter == 0 && SkipChance == 0)
        {
            var saves = (long)((now - attemptStart) / period);
            return saves < 1 ? null : attemptStart + (period * saves);
        }

        var random = new Random(unchecked((_seed * 31) + (StableHash(job) * 17) + attemptStart.UtcTicks.GetHashCode()));
        DateTimeOffset? newest = null;
        var due = attemptStart;
        while (true)
        {
            due += period * (1 - Jitter + (2 * Jitter * random.NextDouble()));
            if (due > now)
            {
                return newest;
            }

            if (random.NextDouble() >= SkipChance)
            {
                newest = due;
            }
        }
    }

    // string.GetHashCode and HashCode.Combine differ between processes; runs must see the same drift.
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
