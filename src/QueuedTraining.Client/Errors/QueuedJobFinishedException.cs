using System.Net;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>The job has ended and can no longer be cancelled, stopped or re-prioritised (<c>409 job-finished</c>).</summary>
public sealed class QueuedJobFinishedException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public QueuedJobFinishedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedJobFinishedException(string message)
        : base(message, HttpStatusCode.Conflict, ProblemCodes.JobFinished)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobFinishedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
