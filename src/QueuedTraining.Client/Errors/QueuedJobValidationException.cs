using System.Net;

namespace QueuedTraining.Client;

/// <summary>The queue service refused the request as invalid (400 or 413); <see cref="Errors"/> lists every field at fault.</summary>
public sealed class QueuedJobValidationException : TrainingQueueException
{
    /// <summary>Creates the exception.</summary>
    public QueuedJobValidationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public QueuedJobValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public QueuedJobValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the service's problem.</summary>
    /// <param name="message">The problem's detail.</param>
    /// <param name="statusCode">The HTTP status (400 or 413).</param>
    /// <param name="problemCode">The headline problem code, for example <c>invalid-field</c>.</param>
    /// <param name="errors">Every field error the service listed.</param>
    public QueuedJobValidationException(string message, HttpStatusCode statusCode, string? problemCode, IReadOnlyList<QueueFieldError> errors)
        : base(message, statusCode, problemCode)
    {
        Errors = errors;
    }

    /// <summary>Every rule the request breaks, the headline first; empty when the service named none.</summary>
    public IReadOnlyList<QueueFieldError> Errors { get; } = [];
}

/// <summary>One rule a request breaks, as the queue service reports it.</summary>
/// <param name="Code">The stable problem code, for example <c>invalid-job-name</c>.</param>
/// <param name="Field">The JSON path at fault, for example <c>ResourceConfig.InstanceType</c>; null when none.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record QueueFieldError(string Code, string? Field, string Message);
