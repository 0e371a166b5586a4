using System.Net;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>An error SageMaker (or something speaking its protocol) answered with.</summary>
public class SageMakerException : QueuedTrainingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The error's name as SageMaker spells it, without namespace, e.g. <c>ResourceNotFound</c>.</param>
    /// <param name="message">SageMaker's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerException(string errorCode, string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    /// <param name="errorCode">The error's name as SageMaker spells it, without namespace, e.g. <c>ResourceNotFound</c>.</param>
    /// <param name="message">SageMaker's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause: for example the queue's own error, or a credential or transport failure.</param>
    public SageMakerException(string errorCode, string message, HttpStatusCode statusCode, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The error's name, e.g. <c>ResourceLimitExceeded</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code of the error response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The request id AWS assigned, when known.</summary>
    public string? RequestId { get; set; }

    /// <summary>Builds the most specific exception type for an error name.</summary>
    /// <param name="errorCode">The error's name, without namespace.</param>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <returns>A <see cref="SageMakerResourceNotFoundException"/>, <see cref="SageMakerValidationException"/>, … or, for
    /// any other name, a <see cref="SageMakerException"/>.</returns>
    public static SageMakerException Create(string errorCode, string message, HttpStatusCode statusCode) =>
        Create(errorCode, message, statusCode, null);

    /// <summary>Builds the most specific exception type for an error name, with its cause.</summary>
    /// <param name="errorCode">The error's name, without namespace.</param>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    /// <returns>A <see cref="SageMakerResourceNotFoundException"/>, <see cref="SageMakerValidationException"/>, … or, for
    /// any other name, a <see cref="SageMakerException"/>.</returns>
    public static SageMakerException Create(string errorCode, string message, HttpStatusCode statusCode, Exception? innerException) => errorCode switch
    {
        SageMakerErrorCodes.ResourceNotFound => new SageMakerResourceNotFoundException(message, statusCode, innerException),
        SageMakerErrorCodes.ResourceInUse => new SageMakerResourceInUseException(message, statusCode, innerException),
        SageMakerErrorCodes.ResourceLimitExceeded => new SageMakerResourceLimitExceededException(message, statusCode, innerException),
        SageMakerErrorCodes.ValidationException => new SageMakerValidationException(message, statusCode, innerException),
        SageMakerErrorCodes.ThrottlingException or "Throttling" or "ThrottledException" or "TooManyRequestsException"
            => new SageMakerThrottlingException(errorCode, message, statusCode, innerException),
        _ => new SageMakerException(errorCode, message, statusCode, innerException),
    };
}

/// <summary>The error names SageMaker uses that QueuedTraining acts on.</summary>
public static class SageMakerErrorCodes
{
    /// <summary>The named resource does not exist.</summary>
    public const string ResourceNotFound = "ResourceNotFound";

    /// <summary>The name is taken.</summary>
    public const string ResourceInUse = "ResourceInUse";

    /// <summary>An account quota or the instance capacity is exhausted.</summary>
    public const string ResourceLimitExceeded = "ResourceLimitExceeded";

    /// <summary>The request is invalid.</summary>
    public const string ValidationException = "ValidationException";

    /// <summary>Too many requests.</summary>
    public const string ThrottlingException = "ThrottlingException";

    /// <summary>The service failed.</summary>
    public const string InternalFailure = "InternalFailure";

    /// <summary>The signature does not match.</summary>
    public const string SignatureDoesNotMatch = "SignatureDoesNotMatch";

    /// <summary>The access key is not known.</summary>
    public const string UnrecognizedClientException = "UnrecognizedClientException";

    /// <summary>The request carries no valid authentication.</summary>
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";

    /// <summary>The caller may not do this.</summary>
    public const string AccessDeniedException = "AccessDeniedException";

    /// <summary>The operation is not known.</summary>
    public const string UnknownOperationException = "UnknownOperationException";

    /// <summary>The body is not JSON of the operation's shape, or too large.</summary>
    public const string SerializationException = "SerializationException";

    /// <summary>Raised by the client itself, never answered by SageMaker: no credentials could be resolved to sign the call.</summary>
    public const string CredentialsUnavailable = "CredentialsUnavailable";

    /// <summary>Raised by the client itself, never answered by SageMaker: the call got no answer after every retry.</summary>
    public const string TransportFailure = "TransportFailure";
}

/// <summary>The training job (or attempt) does not exist.</summary>
public sealed class SageMakerResourceNotFoundException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerResourceNotFoundException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(SageMakerErrorCodes.ResourceNotFound, message, statusCode)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    public SageMakerResourceNotFoundException(string message, HttpStatusCode statusCode, Exception? innerException)
        : base(SageMakerErrorCodes.ResourceNotFound, message, statusCode, innerException)
    {
    }
}

/// <summary>A training job of that name exists already.</summary>
public sealed class SageMakerResourceInUseException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerResourceInUseException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(SageMakerErrorCodes.ResourceInUse, message, statusCode)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    public SageMakerResourceInUseException(string message, HttpStatusCode statusCode, Exception? innerException)
        : base(SageMakerErrorCodes.ResourceInUse, message, statusCode, innerException)
    {
    }
}

/// <summary>A quota or the instance capacity is exhausted; the job can start later.</summary>
public sealed class SageMakerResourceLimitExceededException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerResourceLimitExceededException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(SageMakerErrorCodes.ResourceLimitExceeded, message, statusCode)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    public SageMakerResourceLimitExceededException(string message, HttpStatusCode statusCode, Exception? innerException)
        : base(SageMakerErrorCodes.ResourceLimitExceeded, message, statusCode, innerException)
    {
    }
}

/// <summary>SageMaker rejected the request as invalid; retrying it cannot help.</summary>
public sealed class SageMakerValidationException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerValidationException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(SageMakerErrorCodes.ValidationException, message, statusCode)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    public SageMakerValidationException(string message, HttpStatusCode statusCode, Exception? innerException)
        : base(SageMakerErrorCodes.ValidationException, message, statusCode, innerException)
    {
    }
}

/// <summary>SageMaker throttled the request; retry with backoff.</summary>
public sealed class SageMakerThrottlingException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The throttling error's name (SageMaker's services spell it several ways).</param>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    public SageMakerThrottlingException(string errorCode, string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(errorCode, message, statusCode)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="errorCode">The throttling error's name.</param>
    /// <param name="message">The error's message.</param>
    /// <param name="statusCode">The HTTP status it came with.</param>
    /// <param name="innerException">The cause, for example the queue's own error.</param>
    public SageMakerThrottlingException(string errorCode, string message, HttpStatusCode statusCode, Exception? innerException)
        : base(errorCode, message, statusCode, innerException)
    {
    }
}

/// <summary>
/// The call got no answer from SageMaker (or the service standing in for it): no credentials could be found to sign
/// it (<see cref="SageMakerErrorCodes.CredentialsUnavailable"/>), or the connection kept failing or timing out after
/// every retry (<see cref="SageMakerErrorCodes.TransportFailure"/>). <see cref="SageMakerException.StatusCode"/> is 0
/// (no answer); <see cref="Exception.InnerException"/> holds the cause.
/// </summary>
public sealed class SageMakerClientException : SageMakerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode"><see cref="SageMakerErrorCodes.CredentialsUnavailable"/> or <see cref="SageMakerErrorCodes.TransportFailure"/>.</param>
    /// <param name="message">What failed and what to check.</param>
    /// <param name="innerException">The cause: the AWS SDK's credential error, or the transport's.</param>
    public SageMakerClientException(string errorCode, string message, Exception? innerException)
        : base(errorCode, message, default, innerException)
    {
    }
}
