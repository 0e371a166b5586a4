using System.Net;
using QueuedTraining.Contracts;

namespace QueuedTraining.Client;

/// <summary>
/// The root of every error the queue client reports. The specific ones are
/// <see cref="QueuedJobConflictException"/>, <see cref="QueuedJobNotFoundException"/>,
/// <see cref="QueuedJobValidationException"/>, <see cref="QueuedJobFinishedException"/>,
/// <see cref="TrainingQueueUnavailableException"/> and <see cref="QueuedJobWaitTimeoutException"/>;
/// anything else the service refuses (401, 403, …) is this type with <see cref="StatusCode"/> and <see cref="ProblemCode"/> set.
/// </summary>
public class TrainingQueueException : QueuedTrainingException
{
    /// <summary>Creates the exception.</summary>
    public TrainingQueueException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public TrainingQueueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public TrainingQueueException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem the queue service answered with.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="problemCode">The problem's stable <c>code</c> (see <c>ProblemCodes</c>), when it had one.</param>
    public TrainingQueueException(string message, HttpStatusCode? statusCode, string? problemCode)
        : base(message)
    {
        StatusCode = statusCode;
        ProblemCode = problemCode;
    }

    /// <summary>The HTTP status of the service's answer; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The problem's stable code, for example <c>job-conflict</c>; null when the answer had none.</summary>
    public string? ProblemCode { get; }
}
