using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace QueuedTraining.SageMaker.Verification;

/// <summary>
/// Verifies SigV4-signed requests (<c>Authorization: AWS4-HMAC-SHA256 …</c>) arriving at the queue's
/// SageMaker-compatible endpoint, so that boto3, the AWS CLI and the JS SDK can call it with ordinary
/// AWS credentials. The expected signature is computed with AWSSDK.Core over exactly the headers the
/// client listed in <c>SignedHeaders</c>, and compared in constant time.
/// </summary>
/// <remarks>Only header-signed requests are accepted; presigned (query-string) requests are not.</remarks>
public sealed class SigV4RequestVerifier
{
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string ScopeTerminator = "aws4_request";

    private const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private readonly Func<string, string?> _secretKeyLookup;
    private readonly SigV4RequestVerifierOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the verifier.</summary>
    /// <param name="secretKeyLookup">Returns the secret key of an access key id, or null when the key is unknown.</param>
    /// <param name="options">The accepted region, service and clock skew; defaults when null.</param>
    /// <param name="timeProvider">The clock X-Amz-Date is checked against; the system clock when null.</param>
    public SigV4RequestVerifier(Func<string, string?> secretKeyLookup, SigV4RequestVerifierOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secretKeyLookup);
        _secretKeyLookup = secretKeyLookup;
        _options = options ?? new SigV4RequestVerifierOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Checks the request's signature, scope, time and payload hash.</summary>
    /// <param name="request">The request exactly as it arrived.</param>
    /// <returns>The caller's access key id, or the error to answer with.</returns>
    public SigV4VerificationResult Verify(SigV4IncomingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
        {
            // Indexer, not Add: a dictionary whose keys differ only in case must not turn into an exception.
            headers[name] = value;
        }

        if (!headers.TryGetValue("Authorization", out var authorization) || string.IsNullOrWhiteSpace(authorization))
        {
            return SigV4VerificationResult.Failure(SigV4ErrorCodes.MissingAuthenticationToken, "Missing Authentication Token", HttpStatusCode.Forbidden);
        }

        if (!SigV4AuthorizationHeader.TryParse(authorization, out var header, out var parseError))
        {
            return SigV4VerificationResult.Failure(SigV4ErrorCodes.IncompleteSignature, parseError!);
        }

        if (!headers.TryGetValue("X-Amz-Date", out var amzDate)
            || !DateTime.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return SigV4VerificationResult.Failure(
                SigV4ErrorCodes.IncompleteSignature, "Authorization header requires existence of a valid 'X-Amz-Date' header in ISO 8601 basic format (yyyyMMddTHHmmssZ).");
        }

        var scopeError = CheckScope(header!, amzDate) ?? CheckTime(signedAt);
        if (scopeError is not null)
        {
            return SigV4VerificationResult.Failure(SigV4ErrorCodes.InvalidSignature, scopeError);
        }

        var secretKey = _secretKeyLookup(header!.AccessKeyId);
        if (secretKey is null)
        {
            return SigV4VerificationResult.Failure(SigV4ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
        }

        if (UnsignedRequiredHeader(header, headers) is { } unsigned)
        {
            // Otherwise the header could be changed after signing: a signed StopTrainingJob replayed as another operation.
            return SigV4VerificationResult.Failure(SigV4ErrorCodes.InvalidSignature, $"The '{unsigned}' header must be signed (listed in SignedHeaders).");
        }

        var payloadHash = ToHex(SHA256.HashData(request.Body.Span));
        if (headers.TryGetValue("X-Amz-Content-SHA256", out var claimedHash) && !string.Equals(claimedHash.Trim(), payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            // The client signed a hash that is not the body's: the body was changed, or it was never hashed (UNSIGNED-PAYLOAD).
            return SigV4VerificationResult.Failure(
                SigV4ErrorCodes.InvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        return SignatureMatches(request, headers, header, secretKey, signedAt, payloadHash)
            ? SigV4VerificationResult.Success(header.AccessKeyId)
            : SigV4VerificationResult.Failure(SigV4ErrorCodes.InvalidSignature, SignatureMismatchMessage);
    }

    /// <summary>The first header that must be signed and is not: <c>host</c> always, <c>x-amz-target</c> when the request has one.</summary>
    private static string? UnsignedRequiredHeader(SigV4AuthorizationHeader header, Dictionary<string, string> headers)
    {
        var signed = header.SignedHeaders.Split(';');
        if (!signed.Contains("host", StringComparer.Ordinal))
        {
            return "host";
        }

        return headers.ContainsKey("X-Amz-Target") && !signed.Contains("x-amz-target", StringComparer.Ordinal) ? "x-amz-target" : null;
    }

    private static bool SignatureMatches(
        SigV4IncomingRequest request,
        Dictionary<string, string> headers,
        SigV4AuthorizationHeader header,
        string secretKey,
        DateTime signedAt,
        string payloadHash)
    {
        // Canonicalize exactly the headers the client named, in its order; a named header that is absent cannot have been signed as sent.
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in header.SignedHeaders.Split(';'))
        {
            if (!headers.TryGetValue(name, out var value) || !signed.TryAdd(name.ToLowerInvariant(), value))
            {
                return false;
            }
        }

        if (!string.Equals(string.Join(';', signed.Keys), header.SignedHeaders, StringComparison.Ordinal))
        {
            return false;
        }

        var canonicalRequest = AwsSdkSigV4Internals.Build(request.Method, request.Path, request.QueryString, signed, payloadHash);
        var expected = AwsSdkSigV4Internals.ExpectedSignature(
            header.AccessKeyId, secretKey, header.ScopeRegion, signedAt, header.ScopeService, header.SignedHeaders, canonicalRequest);

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected),
            Encoding.ASCII.GetBytes(header.Signature.ToLowerInvariant()));
    }

    private string? CheckScope(SigV4AuthorizationHeader header, string amzDate)
    {
        if (!amzDate.StartsWith(header.ScopeDate, StringComparison.Ordinal) || header.ScopeDate.Length != 8)
        {
            return $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.ScopeDate}' != '{amzDate[..8]}', from '{amzDate}'.";
        }

        if (_options.Region is { } region && !string.Equals(header.ScopeRegion, region, StringComparison.Ordinal))
        {
            return $"Credential should be scoped to a valid region, not '{header.ScopeRegion}'. ";
        }

        if (!string.Equals(header.ScopeService, _options.ServiceName, StringComparison.Ordinal))
        {
            return $"Credential should be scoped to correct service: '{_options.ServiceName}'. ";
        }

        return string.Equals(header.ScopeTerminator, ScopeTerminator, StringComparison.Ordinal)
            ? null
            : $"Credential should be scoped with a valid terminator: '{ScopeTerminator}', not '{header.ScopeTerminator}'. ";
    }

    private string? CheckTime(DateTime signedAt)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var skew = _options.AllowedClockSkew;
        var minutes = skew.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
        if (signedAt < now - skew)
        {
            return $"Signature expired: {Format(signedAt)} is now earlier than {Format(now - skew)} ({Format(now)} - {minutes} min.)";
        }

        return signedAt > now + skew
            ? $"Signature not yet current: {Format(signedAt)} is still later than {Format(now + skew)} ({Format(now)} + {minutes} min.)"
            : null;
    }

    private static string Format(DateTime time) => time.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    // ToHexStringLower arrived in .NET 9; this package also builds for .NET 8.
    private static string ToHex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
