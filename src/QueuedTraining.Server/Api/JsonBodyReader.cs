using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Server.Hosting;

namespace QueuedTraining.Server.Api;

/// <summary>
/// Reads a JSON body with a size limit, and turns every way it can be wrong (too large, not JSON,
/// a member of the wrong type) into a problem that names the field.
/// </summary>
internal sealed class JsonBodyReader(IOptionsMonitor<ServerOptions> options)
{
    public async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, Func<JsonException, ProblemHttpResult>? describe = null)
        where T : class
    {
        // A body not declared as JSON is refused before it is read: a browser's cross-site form may send text/plain
        // without asking first, never application/json.
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(
                StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "The body must be JSON.", "Send Content-Type: application/json."));
        }

        var limit = options.CurrentValue.MaxRequestBodyBytes;
        var body = await LimitedRequestBody.ReadAsync(request, limit, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, TooLarge(limit));
        }

        if (body.Length == 0)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, "The body is empty.", "A JSON body is required."));
        }

        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, "The body is not a JSON object.", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // Broken syntax is always "malformed"; only well-formed JSON with a wrong member is the member's fault.
            return (null, IsWellFormed(body) && describe is not null ? describe(ex) : Malformed(ex));
        }
    }

    private static bool IsWellFormed(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static ProblemHttpResult Malformed(JsonException ex)
    {
        var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
        return Problems.Create(
            StatusCodes.Status400BadRequest,
            ProblemCodes.MalformedJson,
            "The body is not valid JSON of the expected shape.",
            field is null ? "The body could not be parsed as JSON." : $"'{field}' has a value of the wrong type (a whole number must lie from {int.MinValue} to {int.MaxValue}) or the JSON breaks off there.",
            field);
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, "The body is too large.", $"Request bodies are limited to {limit} bytes.");
}
