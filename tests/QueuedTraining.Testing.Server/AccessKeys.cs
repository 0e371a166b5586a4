using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueuedTraining.SageMaker;

namespace QueuedTraining.Testing.Server;

/// <summary>The SigV4 credentials configured for the queue's SageMaker-compatible endpoint, and clients that sign with them.</summary>
public static class AccessKeys
{
    public const string Alice = "AKIAALICE0000000001";
    public const string AliceSecret = "alice/secret/key/for/tests/0000000000000";
    public const string Bob = "AKIABOB00000000000002";
    public const string BobSecret = "bob/secret/key/for/tests/00000000000000000";
    public const string Operator = "AKIAOPERATOR00000003";
    public const string OperatorSecret = "operator/secret/key/for/tests/0000000000";

    /// <summary>The project's own SageMaker client, pointed at the queue instead of SageMaker: only the URL and keys change.</summary>
    public static SageMakerTrainingClient ClientFor(Uri queueUrl, HttpClient http, string accessKey, string secretKey) =>
        new(http, Options.Create(new SageMakerClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = queueUrl,
            AccessKey = accessKey,
            SecretKey = secretKey,
            MaxRetryAttempts = 0,
        }), TimeProvider.System, NullLogger<SageMakerTrainingClient>.Instance);
}
