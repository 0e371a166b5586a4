using Amazon.Runtime;

namespace QueuedTraining.SageMaker;

/// <summary>Where SageMaker is and which region requests are signed for.</summary>
internal static class SageMakerEndpoint
{
    /// <summary>The SigV4 signing name of SageMaker's API.</summary>
    public const string SigningServiceName = "sagemaker";

    /// <summary>The explicit region, else the one the AWS SDK would find (<c>AWS_REGION</c>, profile); null if none.</summary>
    public static string? ResolveRegion(SageMakerClientOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Region))
        {
            return options.Region;
        }

        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (AmazonClientException)
        {
            // No region anywhere in the environment: the validator turns this into a start-up error.
            return null;
        }
    }

    /// <summary>The endpoint requests go to: the override, else SageMaker's regional API endpoint.</summary>
    public static Uri ResolveServiceUrl(SageMakerClientOptions options, string region)
    {
        if (options.ServiceUrl is { } url)
        {
            return url;
        }

        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://api.sagemaker.{region}.{domain}/");
    }
}
