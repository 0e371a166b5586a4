using System.Diagnostics.CodeAnalysis;
using System.Net;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker.Verification;

/// <summary>
/// The outcome of <see cref="SigV4RequestVerifier.Verify"/>: the caller's access key id, or an error
/// shaped as AWS reports it (code, message and HTTP status) to send back on a SageMaker-compatible API.
/// </summary>
public sealed class SigV4VerificationResult
{
    private SigV4VerificationResult(string? accessKeyId, string? errorCode, string? errorMessage, HttpStatusCode statusCode)
    {
        AccessKeyId = accessKeyId;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        StatusCode = statusCode;
    }

    /// <summary>True when the signature is valid.</summary>
    [MemberNotNullWhen(true, nameof(AccessKeyId))]
    [MemberNotNullWhen(false, nameof(ErrorCode), nameof(ErrorMessage))]
    public bool IsValid => AccessKeyId is not null;

    /// <summary>The verified caller's access key id; null on failure.</summary>
    public string? AccessKeyId { get; }

    /// <summary>The AWS error name, for example <c>InvalidSignatureException</c> (see <see cref="SigV4ErrorCodes"/>); null on success.</summary>
    public string? ErrorCode { get; }

    /// <summary>The AWS-style message explaining the failure; null on success.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The HTTP status to answer with: 200 on success, 400 or 403 on failure.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>A successful verification.</summary>
    /// <param name="accessKeyId">The verified access key id: the caller's principal.</param>
    /// <returns>A valid result.</returns>
    public static SigV4VerificationResult Success(string accessKeyId) => new(accessKeyId, null, null, HttpStatusCode.OK);

    /// <summary>A failed verification.</summary>
    /// <param name="errorCode">The AWS error name, one of <see cref="SigV4ErrorCodes"/>.</param>
    /// <param name="errorMessage">AWS's wording of the failure.</param>
    /// <param name="statusCode">The HTTP status to answer with.</param>
    /// <returns>An invalid result.</returns>
    public static SigV4VerificationResult Failure(string errorCode, string errorMessage, HttpStatusCode statusCode = HttpStatusCode.BadRequest) =>
        new(null, errorCode, errorMessage, statusCode);

    /// <summary>The failure as the exception the SageMaker-compatible endpoint reports it with.</summary>
    /// <returns>The most specific <see cref="SageMakerException"/> for <see cref="ErrorCode"/>.</returns>
    /// <exception cref="InvalidOperationException">The verification succeeded.</exception>
    public SageMakerException ToException() => IsValid
        ? throw new InvalidOperationException("The request was verified; there is no error.")
        : SageMakerException.Create(ErrorCode, ErrorMessage, StatusCode);
}
