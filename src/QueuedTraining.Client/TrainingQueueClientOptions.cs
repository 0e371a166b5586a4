using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace QueuedTraining.Client;

/// <summary>
/// Settings of the queue client and of the <see cref="QueuedSageMakerTrainingClient"/> decorator; bound from
/// the <c>QueuedTraining:Client</c> configuration section by default and validated at start-up.
/// </summary>
public sealed class TrainingQueueClientOptions : IValidatableObject
{
    /// <summary>The configuration section the options are usually bound from.</summary>
    public const string SectionName = "QueuedTraining:Client";

    /// <summary>The queue service, for example <c>http://127.0.0.1:5080</c> (the default of a local queue service).</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The API key sent as <c>Authorization: Bearer &lt;key&gt;</c>. Leave null for a queue service in
    /// <c>None</c> auth mode, which serves loopback callers only.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a failed call is retried: connection failures, 408, 429, 5xx and attempt timeouts (0–20, default 5).</summary>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's delay before jitter; later ones double (default 500 ms). A <c>Retry-After</c> header wins.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff delay between two attempts (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt (send and read the answer) may take (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take across all its attempts and delays (default 3 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The tag whose integer value is a job's priority; must match the queue service's <c>PriorityTagKey</c> (default <c>priority</c>).</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string PriorityTagKey { get; set; } = "priority";

    /// <summary>
    /// The priority the decorator writes into a request that has no priority tag. Null (the default) leaves
    /// such requests alone, and the queue gives them priority 0.
    /// </summary>
    public int? DefaultPriority { get; set; }

    /// <summary>
    /// The region written into the ARN the decorator reports for a queued job (default <c>us-east-1</c>).
    /// Set it to the region the queue's SageMaker runs in, so the ARN looks like the one SageMaker would give.
    /// </summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id written into the ARN the decorator reports for a queued job (default <c>000000000000</c>).</summary>
    [Required]
    [RegularExpression("^[0-9]{12}$")]
    public string AccountId { get; set; } = "000000000000";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { } address
            && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(address.Query)))
        {
            yield return new ValidationResult($"BaseAddress '{address}' must be an absolute http or https URL without a query.", [nameof(BaseAddress)]);
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult("ApiKey must not be blank; leave it null to send no key.", [nameof(ApiKey)]);
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult($"TotalTimeout ({TotalTimeout}) must not be shorter than AttemptTimeout ({AttemptTimeout}).", [nameof(TotalTimeout)]);
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult($"RetryMaxDelay ({RetryMaxDelay}) must not be shorter than RetryBaseDelay ({RetryBaseDelay}).", [nameof(RetryMaxDelay)]);
        }
    }
}

/// <summary>Validates <see cref="TrainingQueueClientOptions"/> when they are first used (at start-up with a host).</summary>
[OptionsValidator]
internal sealed partial class TrainingQueueClientOptionsValidator : IValidateOptions<TrainingQueueClientOptions>;
