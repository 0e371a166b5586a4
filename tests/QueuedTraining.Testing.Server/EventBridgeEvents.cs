using System.Text.Json;

namespace QueuedTraining.Testing.Server;

/// <summary>Builds EventBridge events exactly as EventBridge delivers SageMaker's training job state changes.</summary>
public static class EventBridgeEvents
{
    public static string StateChange(string trainingJobName, string status, string? failureReason = null)
    {
        var detail = new Dictionary<string, object?>
        {
            ["TrainingJobName"] = trainingJobName,
            ["TrainingJobArn"] = $"arn:aws:sagemaker:us-east-1:123456789012:training-job/{trainingJobName}",
            ["TrainingJobStatus"] = status,
            ["SecondaryStatus"] = status == "InProgress" ? "Training" : status,
            ["CreationTime"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(),
            ["LastModifiedTime"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["ResourceConfig"] = new Dictionary<string, object> { ["InstanceType"] = "ml.m5.large", ["InstanceCount"] = 1, ["VolumeSizeInGB"] = 10 },
        };
        if (failureReason is not null)
        {
            detail["FailureReason"] = failureReason;
        }

        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "SageMaker Training Job State Change",
            ["source"] = "aws.sagemaker",
            ["account"] = "123456789012",
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["region"] = "us-east-1",
            ["resources"] = new[] { $"arn:aws:sagemaker:us-east-1:123456789012:training-job/{trainingJobName}" },
            ["detail"] = detail,
        });
    }
}
