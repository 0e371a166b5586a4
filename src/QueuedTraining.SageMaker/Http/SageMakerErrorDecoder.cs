using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker.Http;

/// <summary>
/// Turns an AWS JSON 1.1 error response into the most specific <see cref="SageMakerException"/>. The
/// error name comes from the body's <c>__type</c> or the <c>x-amzn-ErrorType</c> header, written as
/// <c>[namespace#]Name[:detail]</c>; only <c>Name</c> identifies the error.
/// </summary>
internal static class SageMakerErrorDecoder
{
    private const string ErrorTypeHeader = "x-amzn-ErrorType";

    /// <summary>Decodes the error in a non-success response whose body has already been read.</summary>
    public static SageMakerException Decode(HttpStatusCode statusCode, HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        var (bodyType, message) = ReadBody(body);
        var errorType = bodyType ?? FirstHeaderValue(headers, ErrorTypeHeader);
        var errorCode = errorType is null ? CodeForStatus(statusCode) : NormalizeErrorCode(errorType);
        return SageMakerException.Create(errorCode, message ?? $"SageMaker answered {(int)statusCode} {statusCode}.", statusCode);
    }

    /// <summary>
    /// True when <paramref name="error"/> is the <c>ValidationException</c> with which SageMaker ("Requested resource
    /// not found.") and moto ("Could not find training job …") answer an operation on a job that does not exist.
    /// Only operations that name an existing job qualify: on <c>CreateTrainingJob</c> a "not found" message is about
    /// something else (a role, an image, a bucket) and stays a validation error.
    /// </summary>
    public static bool IsJobNotFound(string operation, SageMakerException error) =>
        error is SageMakerValidationException
        && operation is "DescribeTrainingJob" or "StopTrainingJob" or "UpdateTrainingJob"
        && (error.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("could not find", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase));

    /// <summary>Strips the namespace before <c>#</c> and the detail after <c>:</c>.</summary>
    public static string NormalizeErrorCode(string errorType)
    {
        var name = errorType;
        var hash = name.LastIndexOf('#');
        if (hash >= 0)
        {
            name = name[(hash + 1)..];
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            name = name[..colon];
        }

        return name.Trim();
    }

    private static (string? ErrorType, string? Message) ReadBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (StringMember(document.RootElement, "__type"),
                    StringMember(document.RootElement, "message") ?? StringMember(document.RootElement, "Message"));
        }
        catch (JsonException)
        {
            // A proxy or load balancer in between may answer with HTML; the status code still tells enough.
            return (null, null);
        }
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? FirstHeaderValue(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string CodeForStatus(HttpStatusCode statusCode) => (int)statusCode switch
    {
        429 => SageMakerErrorCodes.ThrottlingException,
        >= 500 => SageMakerErrorCodes.InternalFailure,
        _ => $"Http{(int)statusCode}",
    };
}
