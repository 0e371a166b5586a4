using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.StateChanges;

/// <summary>Calls to the backend whose failure the queue survives by trying again later.</summary>
internal static class SageMakerBackendExtensions
{
    /// <summary>True for the failures that reconciliation heals: SageMaker errors and transport trouble.</summary>
    public static bool IsRecoverable(this Exception exception) =>
        exception is SageMakerException or HttpRequestException or TimeoutException;

    /// <summary>
    /// Asks SageMaker to stop an attempt. A failure is returned, not thrown: the job keeps its instances
    /// in a stopping state, and reconciliation asks again while the attempt still runs.
    /// </summary>
    public static async Task<Exception?> TryStopAsync(this ISageMakerTrainingClient backend, string attemptName, CancellationToken cancellationToken)
    {
        try
        {
            await backend.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            return ex;
        }
    }
}
