using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QueuedTraining.Core.StateChanges;

namespace QueuedTraining.Backends.Simulated;

/// <summary>Delivers the simulated SageMaker's state changes to the queue, as EventBridge does for the real one.</summary>
internal sealed partial class SimulatedEventPump(SimulatedSageMaker simulated, StateChangeProcessor processor, ILogger<SimulatedEventPump> logger) : BackgroundService
{
    private readonly ILogger<SimulatedEventPump> _logger = logger;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in simulated.StateChanges.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await processor.HandleAsync(change, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A lost event is healed by reconciliation; keep delivering the others.
                    LogDeliveryFailed(ex, change.TrainingJobName, change.TrainingJobStatus);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Could not apply simulated event {AttemptName} {Status}")]
    private partial void LogDeliveryFailed(Exception exception, string attemptName, string status);
}
