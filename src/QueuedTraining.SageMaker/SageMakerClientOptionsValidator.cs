using Amazon.Runtime;
using Microsoft.Extensions.Options;

namespace QueuedTraining.SageMaker;

/// <summary>
/// Checks <see cref="SageMakerClientOptions"/> at start-up and reports every problem at once, so a
/// misconfigured service fails when it starts rather than on its first SageMaker call.
/// </summary>
public sealed class SageMakerClientOptionsValidator : IValidateOptions<SageMakerClientOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SageMakerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (SageMakerEndpoint.ResolveRegion(options) is null)
        {
            errors.Add("No AWS region: set SageMakerClientOptions.Region, AWS_REGION or a profile region.");
        }

        if (options.ServiceUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.AbsolutePath != "/"
                || !string.IsNullOrEmpty(url.Query)))
        {
            errors.Add($"ServiceUrl '{url}' must be an absolute http or https URL without a path or query.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            errors.Add("AccessKey and SecretKey must be set together.");
        }

        if (!string.IsNullOrEmpty(options.SessionToken) && string.IsNullOrEmpty(options.AccessKey))
        {
            errors.Add("SessionToken needs AccessKey and SecretKey.");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            errors.Add("MaxRetryAttempts must be between 0 and 10.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("RetryBaseDelay must be positive and not above RetryMaxDelay.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add("AttemptTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
