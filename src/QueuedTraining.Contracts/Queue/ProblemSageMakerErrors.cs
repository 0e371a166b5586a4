using System.Net;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// The one table from the queue API's problem codes to the SageMaker error each stands for: the error the queue's
/// SageMaker-compatible endpoint answers for the same refusal, so that a caller of <see cref="ISageMakerTrainingClient"/>
/// catches the same exception types whether it speaks to SageMaker, to the compatible endpoint or to the queue's
/// HTTP API through the client's decorator.
/// </summary>
public static class ProblemSageMakerErrors
{
    /// <summary>The SageMaker error name of a queue problem.</summary>
    /// <param name="problemCode">The problem's stable code (see <see cref="ProblemCodes"/>); null when the answer had none.</param>
    /// <param name="statusCode">The HTTP status of the queue's answer, which decides when the code is unknown or missing.</param>
    /// <returns>One of <see cref="SageMakerErrorCodes"/>.</returns>
    public static string ErrorCodeOf(string? problemCode, HttpStatusCode statusCode) => problemCode switch
    {
        ProblemCodes.JobConflict => SageMakerErrorCodes.ResourceInUse,
        ProblemCodes.JobNotFound => SageMakerErrorCodes.ResourceNotFound,

        // SageMaker refuses to stop an ended job with "…is in status Completed." as a ValidationException.
        ProblemCodes.JobFinished => SageMakerErrorCodes.ValidationException,
        ProblemCodes.Forbidden => SageMakerErrorCodes.AccessDeniedException,
        ProblemCodes.Unauthenticated => SageMakerErrorCodes.UnrecognizedClientException,
        ProblemCodes.RateLimited => SageMakerErrorCodes.ThrottlingException,
        ProblemCodes.StoreUnavailable or ProblemCodes.ConcurrentUpdate => SageMakerErrorCodes.InternalFailure,
        ProblemCodes.MalformedJson or ProblemCodes.BodyTooLarge => SageMakerErrorCodes.SerializationException,
        ProblemCodes.MissingField or ProblemCodes.InvalidField
            or ProblemCodes.InvalidJobName or ProblemCodes.UnsupportedMediaType or ProblemCodes.BadRequest or ProblemCodes.TooManyTags
            or ProblemCodes.InvalidPriority or ProblemCodes.PriorityAboveLimit or ProblemCodes.UnknownInstanceType
            or ProblemCodes.InsufficientCapacity or ProblemCodes.InvalidPageToken or ProblemCodes.DuplicateTag
            or ProblemCodes.AmbiguousPriority or ProblemCodes.TeamNotAllowed => SageMakerErrorCodes.ValidationException,
        _ => statusCode switch
        {
            HttpStatusCode.NotFound => SageMakerErrorCodes.ResourceNotFound,
            HttpStatusCode.Conflict => SageMakerErrorCodes.ResourceInUse,
            HttpStatusCode.Unauthorized => SageMakerErrorCodes.UnrecognizedClientException,
            HttpStatusCode.Forbidden => SageMakerErrorCodes.AccessDeniedException,
            HttpStatusCode.TooManyRequests => SageMakerErrorCodes.ThrottlingException,
            >= HttpStatusCode.InternalServerError => SageMakerErrorCodes.InternalFailure,
            _ => SageMakerErrorCodes.ValidationException,
        },
    };

    /// <summary>
    /// The HTTP status SageMaker's JSON protocol answers <paramref name="errorCode"/> with: 500 for
    /// <see cref="SageMakerErrorCodes.InternalFailure"/>, 400 for the rest, as the compatible endpoint does.
    /// </summary>
    /// <param name="errorCode">One of <see cref="SageMakerErrorCodes"/>.</param>
    /// <returns>The status.</returns>
    public static HttpStatusCode StatusCodeOf(string errorCode) =>
        errorCode == SageMakerErrorCodes.InternalFailure ? HttpStatusCode.InternalServerError : HttpStatusCode.BadRequest;

    /// <summary>
    /// The SageMaker exception for a queue problem: the most specific type for its error name (see
    /// <see cref="SageMakerException.Create(string, string, HttpStatusCode, Exception?)"/>), with the queue's detail as
    /// its message and the queue's own exception as its cause.
    /// </summary>
    /// <param name="problemCode">The problem's stable code; null when the answer had none.</param>
    /// <param name="statusCode">The HTTP status of the queue's answer.</param>
    /// <param name="message">The queue's detail.</param>
    /// <param name="innerException">The queue's own exception, which keeps the problem code and field errors.</param>
    /// <returns>The exception to throw.</returns>
    public static SageMakerException ToException(string? problemCode, HttpStatusCode statusCode, string message, Exception? innerException)
    {
        var errorCode = ErrorCodeOf(problemCode, statusCode);
        return SageMakerException.Create(errorCode, message, StatusCodeOf(errorCode), innerException);
    }
}
