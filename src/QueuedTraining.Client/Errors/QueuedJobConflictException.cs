using System.Net;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>A job of that name (or idempotency key) is already queued with a different request (<c>409 job-conflict</c>).</summary>
public sealed class QueuedJobConflictException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public QueuedJobConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedJobConflictException(string message)
        : base(message, HttpStatusCode.Conflict, ProblemCodes.JobConflict)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job name.</summary>
    /// <param name="jobName">The job's name.</param>
    /// <param name="message">What went wrong.</param>
    public QueuedJobConflictException(string jobName, string message)
        : base(message, HttpStatusCode.Conflict, ProblemCodes.JobConflict)
    {
        JobName = jobName;
    }

    /// <summary>The name that is taken, when known.</summary>
    public string? JobName { get; }
}
