namespace QueuedTraining.Client;

/// <summary>A wait of <see cref="TrainingJobWaiter"/> ran out of time; the job goes on in the queue.</summary>
public sealed class QueuedJobWaitTimeoutException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public QueuedJobWaitTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedJobWaitTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobWaitTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the last status seen.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="lastStatus">The job's status at the last poll that succeeded; null when none did.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobWaitTimeoutException(string message, QueuedJobStatus? lastStatus, Exception? innerException)
        : base(message, innerException)
    {
        LastStatus = lastStatus;
    }

    /// <summary>The job's status at the last poll, when one succeeded.</summary>
    public QueuedJobStatus? LastStatus { get; }
}
