using Amazon.Runtime;

namespace QueuedTraining.SageMaker.Signing;

/// <summary>The AWS SDK's request wrapper needs an original request object; ours carries nothing.</summary>
internal sealed class SigningOnlyRequest : AmazonWebServiceRequest
{
}
