namespace QueuedTraining.Core.Storage;

/// <summary>
/// The store's data cannot be trusted (a damaged or truncated database): the service must not start on it, since an
/// empty or partial queue would silently drop acknowledged jobs. The message says what was found and where.
/// </summary>
public sealed class JobStoreDamagedException(string message, Exception? innerException = null)
    : Contracts.QueuedTrainingException(message, innerException);
