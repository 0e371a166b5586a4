using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Server.Security;

/// <summary>
/// Every credential the queue accepts and the principal it proves, built once from <see cref="AuthOptions"/>: the
/// principals of <see cref="AuthOptions.Principals"/>, and the older flat <c>ApiKeys</c> and <c>AccessKeys</c> maps.
/// </summary>
internal sealed class IdentityDirectory
{
    private readonly List<(byte[] Digest, JobCaller Caller)> _apiKeys = [];
    private readonly Dictionary<string, (string Secret, JobCaller Caller)> _accessKeys = new(StringComparer.Ordinal);

    public IdentityDirectory(IOptions<AuthOptions> options)
    {
        var auth = options.Value;
        bool IsOperator(string principal, bool flagged) => flagged || auth.Operators.Contains(principal, StringComparer.Ordinal);

        foreach (var (name, principal) in auth.Principals)
        {
            var caller = new JobCaller(name, IsOperator(name, principal.Operator));
            _apiKeys.AddRange(principal.ApiKeySha256.Select(hex => (Convert.FromHexString(hex), caller)));
            foreach (var key in principal.AccessKeys)
            {
                _accessKeys[key.Id] = (File.ReadAllText(key.SecretFile!).Trim(), caller);
            }
        }

        foreach (var (key, name) in auth.ApiKeys)
        {
            _apiKeys.Add((Digest(key), new JobCaller(name, IsOperator(name, false))));
        }

        foreach (var (id, secret) in auth.AccessKeys)
        {
            _accessKeys.TryAdd(id, (secret, new JobCaller(id, IsOperator(id, false))));
        }
    }

    /// <summary>
    /// The principal an API key proves, or null. Keys are compared as digests of one length in constant time, and every
    /// known key is compared, so neither a key's length nor its position shows in the time taken.
    /// </summary>
    public JobCaller? FindByApiKey(string key)
    {
        var digest = Digest(key);
        JobCaller? found = null;
        foreach (var (candidate, caller) in _apiKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, digest))
            {
                found = caller;
            }
        }

        return found;
    }

    /// <summary>The secret and principal of an access key id, or null.</summary>
    public (string Secret, JobCaller Caller)? FindAccessKey(string accessKeyId) =>
        _accessKeys.TryGetValue(accessKeyId, out var entry) && entry.Secret.Length > 0 ? entry : null;

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
