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

    /// <summary>
    /// Each principal with all its credentials (see <see cref="PrincipalOptions"/>): the way to configure identities.
    /// </summary>
    public Dictionary<string, PrincipalOptions> Principals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// API key → principal name, the older flat form. The key itself is a configuration key here, so it shows in
    /// environment variable names and command lines, and keys that differ only in case merge: prefer <see cref="Principals"/>.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Principals that may change any job, not only their own.</summary>
    public List<string> Operators { get; set; } = [];

    /// <summary>
    /// SigV4 access key id → secret, the older flat form; the key id is the principal. Prefer <see cref="Principals"/>,
    /// which reads the secret from a file and names the owner.
    /// </summary>
    public Dictionary<string, string> AccessKeys { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var apiKeyCount = ApiKeys.Count + Principals.Values.Sum(p => p.ApiKeySha256.Count);
        if (!(Mode is AuthModes.None || (Mode is AuthModes.ApiKey && apiKeyCount > 0)))
        {
            yield return new ValidationResult("QueuedTraining:Auth:Mode must be None, or ApiKey with at least one API key (QueuedTraining:Auth:Principals:<name>:ApiKeySha256 or QueuedTraining:Auth:ApiKeys).", [nameof(Mode)]);
        }

        var digests = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var keyIds = new Dictionary<string, string>(AccessKeys.Keys.ToDictionary(id => id, _ => "QueuedTraining:Auth:AccessKeys"), StringComparer.Ordinal);
        foreach (var (name, principal) in Principals)
        {
            foreach (var digest in principal.ApiKeySha256)
            {
                if (digest.Length != 64 || !digest.All(Uri.IsHexDigit))
                {
                    yield return new ValidationResult($"Principal '{name}': an ApiKeySha256 entry must be 64 hex digits (the SHA-256 of the key).", [nameof(Principals)]);
                }
                else if (!digests.TryAdd(digest, name))
                {
                    yield return new ValidationResult($"Principals '{digests[digest]}' and '{name}' list the same API key.", [nameof(Principals)]);
                }
            }

            foreach (var key in principal.AccessKeys)
            {
                if (string.IsNullOrEmpty(key.Id) || string.IsNullOrEmpty(key.SecretFile))
                {
                    yield return new ValidationResult($"Principal '{name}': each access key needs an Id and a SecretFile.", [nameof(Principals)]);
                }
                else if (!File.Exists(key.SecretFile))
                {
                    yield return new ValidationResult($"Principal '{name}': the secret file of access key {key.Id} does not exist: {key.SecretFile}.", [nameof(Principals)]);
                }
                else if (!keyIds.TryAdd(key.Id, name))
                {
                    yield return new ValidationResult($"Access key {key.Id} is given to both '{keyIds[key.Id]}' and '{name}'.", [nameof(Principals)]);
                }
            }
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
