using System.Net;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client.Http;

/// <summary>Turns a queue service error answer (RFC 9457 problem details) into the most specific exception.</summary>
internal static class ProblemReader
{
    public static async Task<TrainingQueueException> ReadAsync(HttpResponseMessage response, string? jobName, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        string? code = null, detail = null, title = null, field = null;
        var errors = new List<QueueFieldError>();
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    code = ReadString(root, "code") ?? CodeFromType(ReadString(root, "type"));
                    detail = ReadString(root, "detail");
                    title = ReadString(root, "title");
                    field = ReadString(root, "field");
                    if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                        {
                            errors.Add(new QueueFieldError(
                                ReadString(item, "code") ?? code ?? "invalid-field",
                                ReadString(item, "field"),
                                ReadString(item, "message") ?? string.Empty));
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page, say); the status code still decides.
        }

        var message = detail ?? title ?? $"The queue service answered {(int)status} {response.ReasonPhrase}.";
        return (status, code) switch
        {
            (_, ProblemCodes.JobConflict) => new QueuedJobConflictException(jobName ?? string.Empty, message),
            (_, ProblemCodes.JobNotFound) => new QueuedJobNotFoundException(jobName ?? string.Empty, message),
            (_, ProblemCodes.JobFinished) => new QueuedJobFinishedException(message),
            (HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, _) => new QueuedJobValidationException(
                message,
                status,
                code,
                errors.Count > 0 ? errors : [new QueueFieldError(code ?? "bad-request", field, message)]),
            (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests, _) or ( >= HttpStatusCode.InternalServerError, _) =>
                new TrainingQueueUnavailableException($"The queue service is unavailable after retries: {message}", status, code),
            _ => new TrainingQueueException(message, status, code),
        };
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? CodeFromType(string? type) =>
        type is not null && type.StartsWith(ProblemCodes.TypePrefix, StringComparison.Ordinal) ? type[ProblemCodes.TypePrefix.Length..] : null;
}
