using Amazon.Runtime.Internal.Auth;

namespace QueuedTraining.SageMaker.Verification;

/// <summary>
/// The only use of AWSSDK.Core's <c>Internal</c> namespaces in QueuedTraining, kept in this one file.
/// Signing our own requests goes through the public <c>Amazon.Runtime.Signing.AWSSigV4Signer</c>, but
/// verifying another client's signature needs two steps that AWSSDK.Core 4.x has no public API for:
/// canonicalizing exactly the headers the client listed in <c>SignedHeaders</c> (the public signer chooses
/// its own set, dropping <c>amz-sdk-invocation-id</c>, <c>x-amz-user-agent</c>, …, which other SDKs such as
/// the JS SDK v3 sign), and computing the signature of that canonical request. Both come from
/// <see cref="AWS4Signer"/>, whose canonicalization is exposed only to subclasses; we do not write SigV4's
/// key derivation ourselves. If a later AWSSDK.Core changes these members, only this file changes, and the
/// SageMaker package's verifier tests fail first (the package depends on AWSSDK.Core <c>[4.1.0, 5.0.0)</c>).
/// </summary>
internal sealed class AwsSdkSigV4Internals : AWS4Signer
{
    // Only the path of this URL matters to the canonicalization; the request's own path is appended to it.
    private static readonly Uri Root = new("https://verifier.invalid/");

    private AwsSdkSigV4Internals()
    {
    }

    /// <summary>Builds the canonical request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path as received, percent-encoded; it is encoded once more, as SigV4 requires for services other than S3.</param>
    /// <param name="rawQuery">The raw query string or null.</param>
    /// <param name="signedHeaders">The signed headers: lower-case names in the client's order, with their values.</param>
    /// <param name="payloadHash">The hex SHA-256 of the body the client signed.</param>
    public static string Build(string method, string rawPath, string? rawQuery, IDictionary<string, string> signedHeaders, string payloadHash) =>
        CanonicalizeRequest(Root, rawPath, method, signedHeaders, CanonicalizeQueryParameters(DecodeQuery(rawQuery)), payloadHash, null, true);

    /// <summary>The hex signature of a canonical request, as the client must have computed it.</summary>
    /// <param name="accessKeyId">The access key id of the credential scope.</param>
    /// <param name="secretKey">Its secret key.</param>
    /// <param name="region">The region of the credential scope.</param>
    /// <param name="signedAt">The signing time (UTC), from <c>X-Amz-Date</c>.</param>
    /// <param name="service">The service of the credential scope.</param>
    /// <param name="signedHeaders">The client's <c>SignedHeaders</c> list.</param>
    /// <param name="canonicalRequest">The canonical request from <see cref="Build"/>.</param>
    public static string ExpectedSignature(
        string accessKeyId, string secretKey, string region, DateTime signedAt, string service, string signedHeaders, string canonicalRequest) =>
        ComputeSignature(accessKeyId, secretKey, region, signedAt, service, signedHeaders, canonicalRequest).Signature;

    private static List<KeyValuePair<string, string>> DecodeQuery(string? rawQuery)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(rawQuery))
        {
            return parameters;
        }

        // The SDK's canonicalization encodes names and values itself, so it is given them decoded.
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            parameters.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        // SigV4 orders by name, then value; the SDK's helper sorts by name only.
        parameters.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return parameters;
    }
}
