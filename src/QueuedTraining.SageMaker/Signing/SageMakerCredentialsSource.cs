using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace QueuedTraining.SageMaker.Signing;

/// <summary>
/// Supplies the credentials for each signature: the explicit keys from the options, or else the AWS
/// SDK's default chain (environment, web identity, profile, container, instance metadata), resolved
/// once and asked again before every request so that temporary credentials refresh.
/// </summary>
internal sealed class SageMakerCredentialsSource
{
    private readonly ImmutableCredentials? _explicitCredentials;
    private Task<AWSCredentials>? _resolution;

    public SageMakerCredentialsSource(SageMakerClientOptions options)
    {
        if (!string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
        {
            _explicitCredentials = new ImmutableCredentials(options.AccessKey, options.SecretKey, options.SessionToken);
        }
    }

    /// <summary>Returns the credentials to sign the next request with.</summary>
    public async Task<ImmutableCredentials> GetAsync()
    {
        if (_explicitCredentials is not null)
        {
            return _explicitCredentials;
        }

        // Two racing callers may both walk the chain once; that is cheaper than a lock on every request.
        var resolution = _resolution ??= DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null);
        try
        {
            var credentials = await resolution.ConfigureAwait(false);
            return await credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonClientException)
        {
            // Forget a failed resolution so that credentials configured later are found on the next call.
            _ = Interlocked.CompareExchange(ref _resolution, null, resolution);
            throw;
        }
    }
}
