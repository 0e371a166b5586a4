using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace QueuedTraining.SageMaker.Signing;

/// <summary>
/// Signs one SageMaker JSON 1.1 request with AWSSDK.Core's SigV4 signer and returns the headers to send.
/// The signer computes the payload hash, <c>X-Amz-Date</c> and <c>Authorization</c>; we only copy them.
/// </summary>
internal static class SageMakerRequestSigner
{
    /// <summary>The content type SageMaker's JSON 1.1 protocol expects, with no charset parameter.</summary>
    public const string JsonContentType = "application/x-amz-json-1.1";

    private static readonly AWS4Signer Signer = new(signPayload: true);

    // A config per region, built once: the SDK's configuration provider is not free to create.
    private static readonly ConcurrentDictionary<string, SigningClientConfig> Configs = new(StringComparer.Ordinal);

    /// <summary>Signs <c>POST /</c> with the given body and returns every header the signature covers, plus Authorization.</summary>
    /// <param name="endpoint">The URL the request goes to; its host (and port) is signed.</param>
    /// <param name="target">The <c>X-Amz-Target</c> value, <c>SageMaker.&lt;Operation&gt;</c>.</param>
    /// <param name="body">The exact bytes that will be sent.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region of the credential scope.</param>
    /// <param name="signedAt">The signing time (UTC).</param>
    public static IReadOnlyDictionary<string, string> Sign(
        Uri endpoint,
        string target,
        byte[] body,
        ImmutableCredentials credentials,
        string region,
        DateTime signedAt)
    {
        using var request = new DefaultRequest(new SigningOnlyRequest(), "SageMaker")
        {
            HttpMethod = "POST",
            Endpoint = endpoint,
            ResourcePath = "/",
            Content = body,
            AuthenticationRegion = region,
            OverrideSigningServiceName = SageMakerEndpoint.SigningServiceName,
        };

        request.Headers["Content-Type"] = JsonContentType;
        request.Headers["X-Amz-Target"] = target;
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            // The token must be signed, so it goes in before the signer runs.
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var result = Signer.SignRequest(request, Configs.GetOrAdd(region, static r => new SigningClientConfig(r)), null, credentials.AccessKey, credentials.SecretKey, signedAt);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
    }
}
