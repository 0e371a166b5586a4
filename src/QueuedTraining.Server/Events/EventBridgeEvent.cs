using System.Text.Json.Serialization;

namespace QueuedTraining.Server.Events;

/// <summary>
/// The EventBridge envelope an API destination posts: <c>{"version":"0","id":…,"detail-type":…,"source":…,
/// "time":…,"detail":{…}}</c>. Members it does not model (account, region, resources) are ignored.
/// </summary>
internal sealed class EventBridgeEvent
{
    public const string TrainingJobStateChange = "SageMaker Training Job State Change";
    public const string SageMakerSource = "aws.sagemaker";

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>When the change happened (ISO 8601).</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }

    [JsonPropertyName("detail")]
    public TrainingJobStateChangeDetail? Detail { get; set; }
}

/// <summary>The detail of a "SageMaker Training Job State Change" event; it is DescribeTrainingJob's shape, of which these members matter.</summary>
internal sealed class TrainingJobStateChangeDetail
{
    [JsonPropertyName("TrainingJobName")]
    public string? TrainingJobName { get; set; }

    [JsonPropertyName("TrainingJobStatus")]
    public string? TrainingJobStatus { get; set; }

    [JsonPropertyName("SecondaryStatus")]
    public string? SecondaryStatus { get; set; }

    [JsonPropertyName("FailureReason")]
    public string? FailureReason { get; set; }
}
