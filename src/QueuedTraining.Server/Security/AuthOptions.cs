using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.Security;

/// <summary>
/// Who may use the queue. <c>None</c> serves loopback callers only, all as the operator <c>local</c>;
/// <c>ApiKey</c> requires <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key</c>) from every caller.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:Auth";

    /// <summary><c>None</c> or <c>ApiKey</c>.</summary>
    public string Mode { get; set; } = AuthModes.None;

    /// <summary>API key → principal name. The principal owns the jobs it submits.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Principals that may change any job, not only their own.</summary>
    public List<string> Operators { get; set; } = [];

    /// <summary>SigV4 access key id → secret, for the SageMaker-compatible endpoint; the key id is the principal.</summary>
    public Dictionary<string, string> AccessKeys { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(Mode is AuthModes.None || (Mode is AuthModes.ApiKey && ApiKeys.Count > 0)))
        {
            yield return new ValidationResult("QueuedTraining:Auth:Mode must be None, or ApiKey with at least one key in QueuedTraining:Auth:ApiKeys.", [nameof(Mode)]);
        }
    }
}

/// <summary>Validates <see cref="AuthOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class AuthOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AuthOptions>;


/// <summary>The values of <see cref="AuthOptions.Mode"/>.</summary>
public static class AuthModes
{
    /// <summary>Loopback callers only, no credentials.</summary>
    public const string None = "None";

    /// <summary>API keys.</summary>
    public const string ApiKey = "ApiKey";
}
