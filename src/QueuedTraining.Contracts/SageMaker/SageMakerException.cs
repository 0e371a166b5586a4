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

    /// <summary>The error's name, e.g. <c>ResourceLimitExceeded</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code of the error response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The request id AWS assigned, when known.</summary>
    public string? RequestId { get; set; }

    /// <summary>Builds the most specific exception type for an error name.</summary>
    public static SageMakerException Create(string errorCode, string message, HttpStatusCode statusCode) => errorCode switch
    {
        SageMakerErrorCodes.ResourceNotFound => new SageMakerResourceNotFoundException(message, statusCode),
        SageMakerErrorCodes.ResourceInUse => new SageMakerResourceInUseException(message, statusCode),
        SageMakerErrorCodes.ResourceLimitExceeded => new SageMakerResourceLimitExceededException(message, statusCode),
        SageMakerErrorCodes.ValidationException => new SageMakerValidationException(message, statusCode),
        SageMakerErrorCodes.ThrottlingException or "Throttling" or "ThrottledException" or "TooManyRequestsException"
            => new SageMakerThrottlingException(errorCode, message, statusCode),
        _ => new SageMakerException(errorCode, message, statusCode),
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
}

/// <summary>The training job (or attempt) does not exist.</summary>
public sealed class SageMakerResourceNotFoundException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
    : SageMakerException(SageMakerErrorCodes.ResourceNotFound, message, statusCode);

/// <summary>A training job of that name exists already.</summary>
public sealed class SageMakerResourceInUseException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
    : SageMakerException(SageMakerErrorCodes.ResourceInUse, message, statusCode);

/// <summary>A quota or the instance capacity is exhausted; the job can start later.</summary>
public sealed class SageMakerResourceLimitExceededException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
    : SageMakerException(SageMakerErrorCodes.ResourceLimitExceeded, message, statusCode);

/// <summary>SageMaker rejected the request as invalid; retrying it cannot help.</summary>
public sealed class SageMakerValidationException(string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
    : SageMakerException(SageMakerErrorCodes.ValidationException, message, statusCode);

/// <summary>SageMaker throttled the request; retry with backoff.</summary>
public sealed class SageMakerThrottlingException(string errorCode, string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
    : SageMakerException(errorCode, message, statusCode);
