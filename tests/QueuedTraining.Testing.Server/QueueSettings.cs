namespace QueuedTraining.Testing.Server;

/// <summary>Configuration of the queue service under test, as an operator would write it.</summary>
public static class QueueSettings
{
    /// <summary>The SageMaker backend pointed at <paramref name="serviceUrl"/>, with pools of 2 x ml.m5.large and 1 x ml.c5.xlarge.</summary>
    public static Dictionary<string, string?> SageMakerBackend(Uri serviceUrl, string accessKey, string secretKey, int maxRetryAttempts = 1) => new()
    {
        ["QueuedTraining:Backend"] = "SageMaker",
        ["QueuedTraining:SageMaker:ServiceUrl"] = serviceUrl.ToString(),
        ["QueuedTraining:SageMaker:Region"] = "us-east-1",
        ["QueuedTraining:SageMaker:AccessKey"] = accessKey,
        ["QueuedTraining:SageMaker:SecretKey"] = secretKey,
        ["QueuedTraining:SageMaker:MaxRetryAttempts"] = maxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["QueuedTraining:SageMaker:RetryBaseDelay"] = "00:00:00.010",
        ["QueuedTraining:SageMaker:RetryMaxDelay"] = "00:00:00.050",
        ["QueuedTraining:Capacity:" + TrainingJobs.SmallPool] = "2",
        ["QueuedTraining:Capacity:" + TrainingJobs.OtherPool] = "1",
    };

    /// <summary>The simulated backend, one ml.m5.large, and SigV4 access keys for alice, bob and the operator ops.</summary>
    public static Dictionary<string, string?> SimulatedWithAccessKeys() => new()
    {
        ["QueuedTraining:Backend"] = "Simulated",
        ["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.200",
        ["QueuedTraining:Capacity:" + TrainingJobs.SmallPool] = "1",
        ["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Alice] = AccessKeys.AliceSecret,
        ["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Bob] = AccessKeys.BobSecret,
        ["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Operator] = AccessKeys.OperatorSecret,
        ["QueuedTraining:Auth:Operators:0"] = AccessKeys.Operator,
    };
}
