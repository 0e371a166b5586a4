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
    public QueuedJobConflictException(string message)
        : base(message, HttpStatusCode.Conflict, ProblemCodes.JobConflict)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QueuedJobConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job name.</summary>
    public QueuedJobConflictException(string jobName, string message)
        : base(message, HttpStatusCode.Conflict, ProblemCodes.JobConflict)
    {
        JobName = jobName;
    }

    /// <summary>The name that is taken, when known.</summary>
    public string? JobName { get; }
}
