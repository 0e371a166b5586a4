namespace QueuedTraining.SageMaker.Verification;

/// <summary>What <see cref="SigV4RequestVerifier"/> accepts.</summary>
public sealed class SigV4RequestVerifierOptions
{
    /// <summary>The region the credential scope must name; null accepts any region (the queue serves whatever region its clients sign for).</summary>
    public string? Region { get; set; }

    /// <summary>The service the credential scope must name (default <c>sagemaker</c>).</summary>
    public string ServiceName { get; set; } = "sagemaker";

    /// <summary>How far <c>X-Amz-Date</c> may be from now, either way (default 5 minutes, as AWS allows).</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
