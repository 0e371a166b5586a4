using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace QueuedTraining.SageMaker.Tests.Fixtures;

/// <summary>Builds clients the way the DI registration does, pointed at a local server.</summary>
internal static class TestClients
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    static TestClients()
    {
        // Keeps the AWS SDK's credential and region chains from probing EC2 instance metadata.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    public static SageMakerTrainingClient Create(
        Uri serviceUrl,
        HttpClient httpClient,
        TimeProvider? timeProvider = null,
        Action<SageMakerClientOptions>? configure = null)
    {
        var options = new SageMakerClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = serviceUrl,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(options);
        return new SageMakerTrainingClient(httpClient, Options.Create(options), timeProvider ?? TimeProvider.System, NullLogger<SageMakerTrainingClient>.Instance);
    }

    public static HttpClient CreateHttpClient() => new() { Timeout = Timeout.InfiniteTimeSpan };
}
