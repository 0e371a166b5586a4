namespace QueuedTraining.Contracts;

/// <summary>The root of every exception that QueuedTraining throws on purpose.</summary>
public class QueuedTrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueuedTrainingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedTrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedTrainingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
