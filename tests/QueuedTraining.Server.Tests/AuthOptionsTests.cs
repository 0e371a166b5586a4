using System.ComponentModel.DataAnnotations;
using QueuedTraining.Server.Security;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Identity configuration that would give one credential to two principals, or none usable, fails at start.</summary>
public sealed class AuthOptionsTests : IDisposable
{
    private static readonly string CarolDigest = new('a', 64);

    private readonly string _secretFile = Path.GetTempFileName();

    [Fact]
    public void Validate_OneAccessKeyGivenToTwoPrincipals_Fails()
    {
        var options = new AuthOptions
        {
            Principals =
            {
                ["carol"] = new() { AccessKeys = [new() { Id = "AKIASHARED", SecretFile = _secretFile }] },
                ["dave"] = new() { AccessKeys = [new() { Id = "AKIASHARED", SecretFile = _secretFile }] },
            },
        };

        Assert.Contains(Errors(options), e => e.Contains("AKIASHARED is given to both", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OneApiKeyDigestUnderTwoPrincipals_Fails()
    {
        var options = new AuthOptions
        {
            Mode = AuthModes.ApiKey,
            Principals = { ["carol"] = new() { ApiKeySha256 = [CarolDigest] }, ["dave"] = new() { ApiKeySha256 = [CarolDigest.ToUpperInvariant()] } },
        };

        Assert.Contains(Errors(options), e => e.Contains("list the same API key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("abcd")]
    public void Validate_DigestThatIsNotSha256Hex_Fails(string digest)
    {
        var options = new AuthOptions { Mode = AuthModes.ApiKey, Principals = { ["carol"] = new() { ApiKeySha256 = [digest] } } };

        Assert.Contains(Errors(options), e => e.Contains("64 hex digits", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SecretFileMissing_Fails()
    {
        var options = new AuthOptions { Principals = { ["carol"] = new() { AccessKeys = [new() { Id = "AKIACAROL", SecretFile = _secretFile + ".missing" }] } } };

        Assert.Contains(Errors(options), e => e.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ApiKeyModeWithPrincipalsOnly_IsAccepted()
    {
        var options = new AuthOptions { Mode = AuthModes.ApiKey, Principals = { ["carol"] = new() { ApiKeySha256 = [CarolDigest] } } };

        Assert.Empty(Errors(options));
    }

    public void Dispose() => File.Delete(_secretFile);

    private static List<string> Errors(AuthOptions options) =>
        options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? string.Empty).ToList();
}
