using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace QueuedTraining.SageMaker.Signing;

/// <summary>
/// Signs one SageMaker JSON 1.1 request with AWSSDK.Core's public SigV4 signer (<see cref="AWSSigV4Signer"/>)
/// and returns the headers to send. The signer computes the payload hash, <c>X-Amz-Date</c>, the security
/// token header and <c>Authorization</c>; we only copy them.
/// </summary>
internal static class SageMakerRequestSigner
{
    /// <summary>The content type SageMaker's JSON 1.1 protocol expects, with no charset parameter.</summary>
    public const string JsonContentType = "application/x-amz-json-1.1";

    /// <summary>Signs <c>POST /</c> with the given body and returns every header the signature covers (but Host), plus Authorization.</summary>
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
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = endpoint, Content = body };
        request.Headers["Content-Type"] = JsonContentType;
        request.Headers["X-Amz-Target"] = target;

        var result = AWSSigV4Signer.Sign(request, new AWSSigV4Parameters
        {
            Credentials = string.IsNullOrEmpty(credentials.Token)
                ? new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey)
                : new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token),
            Region = RegionEndpoint.GetBySystemName(region),
            Service = SageMakerEndpoint.SigningServiceName,
            SignedAt = signedAt,
        });

        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in result.Headers)
        {
            headers[name] = value;
        }

        return headers;
    }
}
