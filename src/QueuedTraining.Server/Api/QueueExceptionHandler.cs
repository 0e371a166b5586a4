using Microsoft.AspNetCore.Diagnostics;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Api;

/// <summary>Answers the queue's own exceptions with problem details; anything else stays a 500.</summary>
internal sealed class QueueExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            JobValidationException e => Problems.Validation(e.Errors),
            JobConflictException e => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.JobConflict, "The job name is taken.", e.Message, "TrainingJobName"),
            JobNotFoundException e => Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.JobNotFound, "No such job.", e.Message),
            JobFinishedException e => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.JobFinished, "The job has ended.", e.Message),
            JobAccessDeniedException e => Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not your job.", e.Message),
            InvalidPageTokenException e => Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidPageToken, "Bad page token.", e.Message, "pageToken"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
                Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, "The body is too large.", e.Message),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
