using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Api;

/// <summary>Answers the queue's own exceptions with problem details; anything else stays a 500.</summary>
internal sealed class QueueExceptionHandler : IExceptionHandler
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Kestrel reports some broken bodies as an IOException around the cause (an overlong chunk size overflows).
        if (exception is IOException { InnerException: BadHttpRequestException or OverflowException } broken)
        {
            exception = broken.InnerException as BadHttpRequestException ?? new BadHttpRequestException(broken.Message, StatusCodes.Status400BadRequest, broken);
        }

        var result = exception switch
        {
            JobValidationException e => Problems.Validation(e.Errors),
            JobConflictException { IdempotencyKey: not null } e => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.JobConflict, "The idempotency key was used for another request.", e.Message, "Idempotency-Key"),
            JobConflictException e => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.JobConflict, "The job name is taken.", e.Message, "TrainingJobName"),
            JobNotFoundException e => Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.JobNotFound, "No such job.", e.Message),
            JobFinishedException e => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.JobFinished, "The job has ended.", e.Message),
            JobAccessDeniedException e => Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not your job.", e.Message),
            InvalidPageTokenException e => Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidPageToken, "Bad page token.", e.Message, "pageToken"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
                Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, "The body is too large.", e.Message),

            // A broken request (bad chunking, a body that ends early) is the client's fault, never a 500.
            BadHttpRequestException e => Problems.Create(e.StatusCode, ProblemCodes.BadRequest, "The request is malformed.", e.Message),

            // The store is busy (a lock held too long) or slow: nothing was written, and trying again shortly is right.
            DbException { IsTransient: true } or SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } or TimeoutException => Unavailable(httpContext),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static ProblemHttpResult Unavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = "1";
        return Problems.Create(
            StatusCodes.Status503ServiceUnavailable, ProblemCodes.StoreUnavailable, "The queue is busy.", "The job store did not answer in time; nothing was changed. Try again.");
    }
}
