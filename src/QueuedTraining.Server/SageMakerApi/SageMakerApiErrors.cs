using System.Globalization;
using System.Net;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>The SageMaker-shaped errors of the compatible endpoint, with messages worded the way SageMaker words them.</summary>
internal static class SageMakerApiErrors
{
    /// <summary>The body is not JSON of the operation's shape.</summary>
    public const string SerializationException = SageMakerErrorCodes.SerializationException;

    public static SageMakerException Validation(IReadOnlyList<FieldError> errors) =>
        Of(ProblemCodes.InvalidField, string.Create(
            CultureInfo.InvariantCulture,
            $"{errors.Count} validation error{(errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", errors.Select(e => e.Message))}"));

    public static SageMakerException Validation(string member, string constraint) =>
        Of(ProblemCodes.InvalidField, $"1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}");

    public static SageMakerException Required(string member) =>
        Of(ProblemCodes.MissingField, $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    public static SageMakerException NotFound(string jobName) =>
        Of(ProblemCodes.JobNotFound, $"Requested resource not found: no training job named '{jobName}' is queued.");

    public static SageMakerException InUse(string jobName, string arn) =>
        Of(
            ProblemCodes.JobConflict,
            $"Training job names must be unique within an AWS account and region, and a training job with this name already exists ({arn}) with a different request.");

    public static SageMakerException Finished(JobState state) =>
        Of(ProblemCodes.JobFinished, $"The request was rejected because the training job is in status {QueuedJobSageMakerView.Status(state)}.");

    public static SageMakerException AccessDenied(string principal, string operation, string arn) =>
        Of(ProblemCodes.Forbidden, $"User: {principal} is not authorized to perform: sagemaker:{operation} on resource: {arn} because another principal owns it");

    public static SageMakerException Throttled(TimeSpan retryAfter) =>
        Of(ProblemCodes.RateLimited, $"Rate exceeded: too many requests from this principal; retry in {Math.Ceiling(retryAfter.TotalSeconds)} s.");

    public static SageMakerException UnknownOperation(string target) =>
        new(SageMakerErrorCodes.UnknownOperationException, $"The operation '{target}' is not supported by QueuedTraining's SageMaker-compatible endpoint. Supported: SageMaker.CreateTrainingJob, SageMaker.DescribeTrainingJob, SageMaker.ListTrainingJobs, SageMaker.StopTrainingJob.", HttpStatusCode.BadRequest);

    public static SageMakerException Malformed(JsonException exception)
    {
        var member = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? null : exception.Path.TrimStart('$', '.');
        return new SageMakerException(
            SerializationException,
            member is null ? "The request body is not a JSON object." : $"The value of '{member}' is not of the expected type.",
            HttpStatusCode.BadRequest);
    }

    public static SageMakerException TooLarge(int limit) =>
        new(SerializationException, $"The request body is larger than {limit} bytes.", HttpStatusCode.RequestEntityTooLarge);

    // The queue's refusals take their SageMaker error from the one table the client's decorator uses too, so a launcher
    // catches the same type through either surface; the status code only matters for codes the table does not know.
    private static SageMakerException Of(string problemCode, string message) =>
        ProblemSageMakerErrors.ToException(problemCode, HttpStatusCode.BadRequest, message, null);

    public static SageMakerException Internal() =>
        new(SageMakerErrorCodes.InternalFailure, "We encountered an internal error. Please try again.", HttpStatusCode.InternalServerError);
}
