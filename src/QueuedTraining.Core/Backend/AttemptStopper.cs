using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Diagnostics;

namespace QueuedTraining.Core.Backend;

/// <summary>
/// Asks SageMaker to stop an attempt, for every path that stops one (preemption, a user's stop, reconciliation
/// asking again). A failure is logged, not thrown: the job keeps its instances in a stopping state and
/// reconciliation asks again while the attempt still runs.
/// </summary>
internal sealed partial class AttemptStopper(ISageMakerTrainingClient backend, QueueMetrics metrics, ILogger<AttemptStopper> logger)
{
    private readonly MeteredSageMakerClient _backend = new MeteredSageMakerClient(backend, metrics);
    private readonly ILogger<AttemptStopper> _logger = logger;

    /// <summary>Sends StopTrainingJob for <paramref name="attemptName"/>; true when SageMaker took it.</summary>
    public async Task<bool> StopAsync(string jobName, string attemptName, CancellationToken cancellationToken)
    {
        try
        {
            await _backend.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            LogStopFailed(ex, attemptName, jobName);
            return false;
        }
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "Stopping SageMaker job {AttemptName} of {JobName} failed; reconciliation will retry")]
    private partial void LogStopFailed(Exception exception, string attemptName, string jobName);
}
