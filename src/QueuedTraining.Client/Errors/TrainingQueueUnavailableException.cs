using System.Net;

namespace QueuedTraining.Client;

/// <summary>
/// The queue service could not be reached or kept failing (connection failures, timeouts, 408, 429, 5xx)
/// after every retry, or the call's total timeout ran out. Whether a submission was queued is unknown:
/// submit again with the same idempotency key (or the same name and body) to find out without queueing twice.
/// </summary>
public sealed class TrainingQueueUnavailableException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public TrainingQueueUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public TrainingQueueUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public TrainingQueueUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the last error answer.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status of the last answer.</param>
    /// <param name="problemCode">The last answer's problem code, when it had one.</param>
    public TrainingQueueUnavailableException(string message, HttpStatusCode statusCode, string? problemCode)
        : base(message, statusCode, problemCode)
    {
    }
}
