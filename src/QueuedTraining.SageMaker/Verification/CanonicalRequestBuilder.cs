using Amazon.Runtime.Internal.Auth;

namespace QueuedTraining.SageMaker.Verification;

/// <summary>
/// Builds a SigV4 canonical request with AWSSDK.Core's own canonicalization, which the SDK exposes
/// only to <see cref="AWS4Signer"/> subclasses. Unlike the SDK's signer it canonicalizes exactly the
/// headers the client listed: the SDK drops some (<c>amz-sdk-invocation-id</c>, <c>x-amz-user-agent</c>, …)
/// from what it signs itself, but other SDKs (the JS SDK v3) sign them.
/// </summary>
internal sealed class CanonicalRequestBuilder : AWS4Signer
{
    // Only the path of this URL matters to the canonicalization; the request's own path is appended to it.
    private static readonly Uri Root = new("https://verifier.invalid/");

    private CanonicalRequestBuilder()
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
