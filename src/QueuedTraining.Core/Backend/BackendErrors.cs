using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.Backend;

/// <summary>Which failures of a backend call the queue survives by trying again later.</summary>
internal static class BackendErrors
{
    /// <summary>True for the failures that reconciliation heals: SageMaker errors and transport trouble.</summary>
    public static bool IsRecoverable(this Exception exception) =>
        exception is SageMakerException or HttpRequestException or TimeoutException;

    /// <summary>The error as a job's reason shows it.</summary>
    public static string Describe(Exception error) =>
        error is SageMakerException sageMaker ? $"{sageMaker.ErrorCode}: {sageMaker.Message}" : error.Message;
}
