using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace QueuedTraining.SageMaker.Signing;

/// <summary>
/// The minimal <see cref="ClientConfig"/> that <c>AWS4Signer</c> reads: the signing region and service
/// name. Both are set explicitly because the signer otherwise guesses them (a service URL alone makes
/// it sign for us-east-1, and a missing service name makes it throw).
/// </summary>
internal sealed class SigningClientConfig : ClientConfig
{
    public SigningClientConfig(string region)
        : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard }]))
    {
        AuthenticationRegion = region;
        AuthenticationServiceName = SageMakerEndpoint.SigningServiceName;
    }

    public override string ServiceVersion => "2017-07-24";

    public override string UserAgent => "QueuedTraining.SageMaker";

    public override string RegionEndpointServiceName => SageMakerEndpoint.SigningServiceName;

    // The signer never needs endpoint resolution once AuthenticationServiceName is set.
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        throw new NotSupportedException("Endpoints are resolved by SageMakerEndpoint, not by the AWS SDK.");
}
