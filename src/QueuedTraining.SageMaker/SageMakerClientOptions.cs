namespace QueuedTraining.SageMaker;

/// <summary>
/// Settings of <see cref="SageMakerTrainingClient"/>. Everything is optional: by default the region and
/// credentials come from the environment the way the AWS SDKs find them.
/// </summary>
public sealed class SageMakerClientOptions
{
    /// <summary>The AWS region, for example <c>us-east-1</c>; when null, <c>AWS_REGION</c> or the profile decides.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Overrides the endpoint, for example <c>http://127.0.0.1:5000</c> for a local emulator. When null the
    /// client calls <c>https://api.sagemaker.&lt;region&gt;.amazonaws.com</c>. Its path must be empty or <c>/</c>.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>An explicit access key id; when null, the default AWS credential chain is used.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key that goes with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The session token of temporary credentials, sent as <c>X-Amz-Security-Token</c>.</summary>
    public string? SessionToken { get; set; }

    /// <summary>How many times a throttled, failed (5xx) or unsent request is retried (0–10, default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay before jitter; later ones grow exponentially (default 200 ms).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two attempts (default 20 s).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one attempt (send and read the answer) may take (default 60 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
