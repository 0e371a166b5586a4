using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.SQS;
using EventTargets = Amazon.CDK.AWS.Events.Targets;

namespace QueuedTraining.Deploy.Cdk;

public sealed partial class QueuedTrainingStack
{
    /// <summary>The header EventBridge sends the API key in; the service reads it (docs/eventbridge.md).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private void CreateEventDelivery(QueuedTrainingStackProps props)
    {
        var connection = new Connection(this, "EventsConnection", new ConnectionProps
        {
            Description = "Sends the QueuedTraining events API key, read from Secrets Manager.",
            Authorization = Authorization.ApiKey(ApiKeyHeader, SecretValue.SecretsManager(props.EventsApiKeySecretArn, new SecretsManagerSecretOptions { JsonField = "apiKey" })),
        });
        var destination = new ApiDestination(this, "EventsDestination", new ApiDestinationProps
        {
            Connection = connection,
            Endpoint = $"https://{props.DomainName}/v1/events/sagemaker",
            HttpMethod = Amazon.CDK.AWS.Events.HttpMethod.POST,
            RateLimitPerSecond = props.EventsPerSecond,
        });

        // Events the service could not take wait here; reconciliation heals them anyway, the queue shows an outage.
        var deadLetters = new Queue(this, "EventsDeadLetterQueue", new QueueProps
        {
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        _ = new Rule(this, "TrainingJobStateChange", new RuleProps
        {
            Description = "SageMaker training job state changes to the QueuedTraining service.",
            EventPattern = new EventPattern
            {
                Source = ["aws.sagemaker"],
                DetailType = ["SageMaker Training Job State Change"],
            },
            Targets =
            [
                new EventTargets.ApiDestination(destination, new EventTargets.ApiDestinationProps
                {
                    DeadLetterQueue = deadLetters,
                    RetryAttempts = 20,
                    MaxEventAge = Duration.Hours(1),
                }),
            ],
        });
    }
}
