using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Hosting;

/// <summary>
/// Removes finished jobs once <see cref="QueueOptions.FinishedJobRetention"/> has passed since they ended. The scheduler
/// process runs it beside reconciliation, so only the lease holder sweeps; each round is a few range reads of the
/// queue-order index, bounded so that a backlog (a retention just shortened) is worked off over several rounds.
/// </summary>
internal sealed partial class FinishedJobSweeper(
    IJobStore store,
    IOptionsMonitor<QueueOptions> options,
    TimeProvider time,
    QueueMetrics metrics,
    ILogger<FinishedJobSweeper> logger)
{
    private readonly MeteredJobStore _store = new(store, metrics);

    internal const int BatchSize = 256;
    internal const int MaxBatchesPerRound = 8;

    /// <summary>Removes what has expired, up to <see cref="MaxBatchesPerRound"/> batches; returns how many jobs went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var endedBefore = time.GetUtcNow() - options.CurrentValue.FinishedJobRetention;
        var removed = 0;
        for (var batch = 0; batch < MaxBatchesPerRound; batch++)
        {
            var count = await _store.RemoveFinishedAsync(endedBefore, BatchSize, cancellationToken).ConfigureAwait(false);
            removed += count;
            if (count < BatchSize)
            {
                break;
            }
        }

        if (removed > 0)
        {
            LogRemoved(removed, endedBefore);
        }

        return removed;
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Removed {Count} finished jobs that ended before {EndedBefore:o}")]
    private partial void LogRemoved(int count, DateTimeOffset endedBefore);
}
