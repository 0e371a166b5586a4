using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Server.Api;

/// <summary>Builds RFC 9457 problem details with a stable <c>code</c>, the <c>field</c> at fault and every error found.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, string? field = null, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = ProblemCodes.TypePrefix + code,
            Title = title,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.Select(e => new Dictionary<string, string>
            {
                ["code"] = e.Code,
                ["field"] = e.Field,
                ["message"] = e.Message,
            }).ToList();
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors) =>
        Create(StatusCodes.Status400BadRequest, errors[0].Code, "The request is invalid.", errors[0].Message, errors[0].Field, errors);

    public static ProblemHttpResult Validation(string code, string field, string message) =>
        Validation([new FieldError(code, field, message)]);
}
