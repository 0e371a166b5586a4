using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using QueuedTraining.SageMaker;

namespace QueuedTraining.Server.Checkpoints;

/// <summary>Builds the S3 client that reads checkpoint locations, with the SageMaker backend's region and credentials.</summary>
internal static class CheckpointS3Client
{
    /// <summary>
    /// A client in <paramref name="sageMaker"/>'s region with its explicit keys, or the default chain when it has none;
    /// <paramref name="serviceUrl"/> (<c>QueuedTraining:SageMaker:S3ServiceUrl</c>) points it at a local emulator.
    /// </summary>
    public static IAmazonS3 Create(SageMakerClientOptions sageMaker, Uri? serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(sageMaker);
        var config = new AmazonS3Config();
        if (serviceUrl is null)
        {
            if (!string.IsNullOrEmpty(sageMaker.Region))
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(sageMaker.Region);
            }
        }
        else
        {
            // An emulator serves every bucket under one host; with only a service URL the SDK would sign for us-east-1.
            config.ServiceURL = serviceUrl.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = sageMaker.Region ?? "us-east-1";
        }

        if (string.IsNullOrEmpty(sageMaker.AccessKey))
        {
            return new AmazonS3Client(config);
        }

        AWSCredentials credentials = string.IsNullOrEmpty(sageMaker.SessionToken)
            ? new BasicAWSCredentials(sageMaker.AccessKey, sageMaker.SecretKey)
            : new SessionAWSCredentials(sageMaker.AccessKey, sageMaker.SecretKey, sageMaker.SessionToken);
        return new AmazonS3Client(credentials, config);
    }
}
