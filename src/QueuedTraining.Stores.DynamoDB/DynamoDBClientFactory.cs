using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Builds a DynamoDB client from <see cref="DynamoDBJobStoreOptions"/>.</summary>
public static class DynamoDBClientFactory
{
    /// <summary>A client for the options' region or endpoint; the caller owns and disposes it.</summary>
    public static IAmazonDynamoDB Create(DynamoDBJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = new AmazonDynamoDBConfig();
        if (options.ServiceUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            // With only a service URL the SDK would sign for us-east-1 whatever the region is.
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region;
        }

        if (string.IsNullOrEmpty(options.AccessKeyId))
        {
            return new AmazonDynamoDBClient(config);
        }

        AWSCredentials credentials = string.IsNullOrEmpty(options.SessionToken)
            ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
            : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        return new AmazonDynamoDBClient(credentials, config);
    }
}
