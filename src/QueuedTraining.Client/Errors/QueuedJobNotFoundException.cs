using System.Net;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>The queue has no job of that name (<c>404 job-not-found</c>).</summary>
public sealed class QueuedJobNotFoundException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public QueuedJobNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedJobNotFoundException(string message)
        : base(message, HttpStatusCode.NotFound, ProblemCodes.JobNotFound)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job name.</summary>
    /// <param name="jobName">The job's name.</param>
    /// <param name="message">What went wrong.</param>
    public QueuedJobNotFoundException(string jobName, string message)
        : base(message, HttpStatusCode.NotFound, ProblemCodes.JobNotFound)
    {
        JobName = jobName;
    }

    /// <summary>The name asked for, when known.</summary>
    public string? JobName { get; }
}
