using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.Security;

/// <summary>
/// How many requests each principal who is not an operator may make (<c>QueuedTraining:RateLimit</c>): a token bucket
/// per principal, shared by the HTTP API and the SageMaker-compatible surface. Operators are not limited.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:RateLimit";

    /// <summary>False turns limiting off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests a principal may make at once, after a quiet spell.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>Requests a principal may make per <see cref="Period"/>, sustained.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerPeriod { get; set; } = 100;

    /// <summary>How often <see cref="RequestsPerPeriod"/> tokens are added back.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Validates <see cref="RateLimitOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RateLimitOptions>;
