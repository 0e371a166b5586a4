using Microsoft.AspNetCore.Http.HttpResults;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;
using QueuedTraining.Server.Api;
using QueuedTraining.Server.OpenApi;
using QueuedTraining.Server.Security;

namespace QueuedTraining.Server.Events;

/// <summary>
/// <c>POST /v1/events/sagemaker</c>: EventBridge "SageMaker Training Job State Change" events, delivered by an
/// API destination (docs/eventbridge.md), applied to the queued job whose current attempt they name. It sits
/// behind the v1 authentication and takes operators only: an event can end any user's job.
/// </summary>
internal static class SageMakerEventEndpoints
{
    public const string Route = "/v1/events/sagemaker";

    public static RouteHandlerBuilder MapSageMakerEvents(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(ApiKeyAuthenticationHandler.OperatorRole))
            .WithTags("Events")
            .WithName("ApplySageMakerEvent")
            .WithSummary("Apply an EventBridge 'SageMaker Training Job State Change' event (API destination target).")
            .Accepts<EventBridgeEvent>("application/json")
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<JsonHttpResult<EventAcknowledgement>, ProblemHttpResult>> HandleAsync(
        HttpContext context, JsonBodyReader reader, StateChangeProcessor processor, TimeProvider time, CancellationToken cancellationToken)
    {
        var (received, problem) = await reader.ReadAsync(context.Request, EventsJsonContext.Default.EventBridgeEvent).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (change, invalid) = ToStateChange(received!, time);
        if (invalid is not null)
        {
            return invalid;
        }

        // The processor hands back the job it moved: no second look-up for the answer.
        var job = (await processor.ApplyAsync(change!, cancellationToken).ConfigureAwait(false))?.After;

        // 200 for an event about a job the queue does not track as well: EventBridge must not retry it.
        return TypedResults.Json(
            new EventAcknowledgement
            {
                TrainingJobName = change!.TrainingJobName,
                Matched = job is not null,
                JobName = job?.Name,
                State = job?.State.ToString().ToLowerInvariant(),
            },
            EventsJsonContext.Default.EventAcknowledgement);
    }

    private static (TrainingJobStateChange? Change, ProblemHttpResult? Problem) ToStateChange(EventBridgeEvent received, TimeProvider time)
    {
        if (!string.Equals(received.DetailType, EventBridgeEvent.TrainingJobStateChange, StringComparison.Ordinal))
        {
            return (null, Problems.Validation(
                ProblemCodes.InvalidField, "detail-type", $"Only '{EventBridgeEvent.TrainingJobStateChange}' events are accepted, not '{received.DetailType}'."));
        }

        if (!string.Equals(received.Source, EventBridgeEvent.SageMakerSource, StringComparison.Ordinal))
        {
            return (null, Problems.Validation(ProblemCodes.InvalidField, "source", $"The source must be '{EventBridgeEvent.SageMakerSource}', not '{received.Source}'."));
        }

        var detail = received.Detail;
        if (detail is null)
        {
            return (null, Problems.Validation(ProblemCodes.MissingField, "detail", "The event has no 'detail'."));
        }

        if (string.IsNullOrEmpty(detail.TrainingJobName))
        {
            return (null, Problems.Validation(ProblemCodes.MissingField, "detail.TrainingJobName", "The event's detail has no 'TrainingJobName'."));
        }

        if (string.IsNullOrEmpty(detail.TrainingJobStatus))
        {
            return (null, Problems.Validation(ProblemCodes.MissingField, "detail.TrainingJobStatus", "The event's detail has no 'TrainingJobStatus'."));
        }

        var change = new TrainingJobStateChange(
            detail.TrainingJobName, detail.TrainingJobStatus, detail.SecondaryStatus, detail.FailureReason, received.Time ?? time.GetUtcNow());
        return (change, null);
    }
}
