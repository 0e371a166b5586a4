using System.Net;
using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Verification;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>
/// Writes answers in SageMaker's JSON 1.1 protocol: <c>application/x-amz-json-1.1</c>, an
/// <c>x-amzn-RequestId</c> on every answer, and errors as <c>{"__type": "namespace#Name", "message": "…"}</c>
/// plus <c>x-amzn-ErrorType</c>, which is what boto3 and the JS SDK read the error name from.
/// </summary>
internal static class AwsJsonResponse
{
    public const string ContentType = "application/x-amz-json-1.1";
    public const string RequestIdHeader = "x-amzn-RequestId";
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    private const string CoralNamespace = "com.amazon.coral.service";
    private const string SageMakerNamespace = "com.amazonaws.sagemaker";

    public static Task WriteAsync(HttpContext context, byte[] body) => WriteAsync(context, body, HttpStatusCode.OK);

    public static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string errorCode, string message)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", $"{NamespaceOf(errorCode)}#{errorCode}");
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        context.Response.Headers[ErrorTypeHeader] = errorCode;
        return WriteAsync(context, buffer.ToArray(), status);
    }

    private static Task WriteAsync(HttpContext context, byte[] body, HttpStatusCode status)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Authentication and protocol errors come from AWS's front end (Coral), the rest from SageMaker.</summary>
    private static string NamespaceOf(string errorCode) => errorCode switch
    {
        SigV4ErrorCodes.MissingAuthenticationToken or SigV4ErrorCodes.IncompleteSignature or SigV4ErrorCodes.InvalidSignature
            or SigV4ErrorCodes.UnrecognizedClient or SageMakerErrorCodes.UnknownOperationException or SageMakerApiErrors.SerializationException
            or SageMakerErrorCodes.AccessDeniedException or SageMakerErrorCodes.InternalFailure => CoralNamespace,
        _ => SageMakerNamespace,
    };
}
