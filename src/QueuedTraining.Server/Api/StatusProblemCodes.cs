using Microsoft.AspNetCore.Http;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Server.Api;

/// <summary>
/// Gives the problems ASP.NET Core writes itself (401, 403, unknown routes, …) the same stable
/// <c>type</c> and <c>code</c> members as the queue's own problems, so clients parse one shape.
/// </summary>
internal static class StatusProblemCodes
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var code = problem.Status switch
        {
            StatusCodes.Status401Unauthorized => ProblemCodes.Unauthenticated,
            StatusCodes.Status403Forbidden => ProblemCodes.Forbidden,
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status413PayloadTooLarge => ProblemCodes.BodyTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
            _ => problem.Status >= 500 ? "internal-error" : "bad-request",
        };
        problem.Type = ProblemCodes.TypePrefix + code;
        problem.Extensions["code"] = code;
    }
}
