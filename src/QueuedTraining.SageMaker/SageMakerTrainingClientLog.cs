using Microsoft.Extensions.Logging;

namespace QueuedTraining.SageMaker;

/// <summary>The log events of <see cref="SageMakerTrainingClient"/>, with fixed event ids.</summary>
internal static partial class SageMakerTrainingClientLog
{
    [LoggerMessage(EventId = 3001, EventName = "SageMakerRequestSending", Level = LogLevel.Debug,
        Message = "Sending SageMaker {Operation} to {ServiceUrl}")]
    public static partial void Sending(ILogger logger, string operation, Uri serviceUrl);

    [LoggerMessage(EventId = 3002, EventName = "SageMakerErrorAnswer", Level = LogLevel.Debug,
        Message = "SageMaker {Operation} answered {StatusCode} {ErrorCode} (request id {RequestId}): {ErrorMessage}")]
    public static partial void ErrorAnswer(ILogger logger, string operation, int statusCode, string errorCode, string? requestId, string errorMessage);

    [LoggerMessage(EventId = 3003, EventName = "SageMakerRequestRetrying", Level = LogLevel.Warning,
        Message = "SageMaker {Operation} failed; retry {RetryNumber} in {RetryDelay}")]
    public static partial void Retrying(ILogger logger, string? operation, int retryNumber, TimeSpan retryDelay, Exception? exception);
}
