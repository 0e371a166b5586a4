using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using QueuedTraining.Server.Api;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Server.Security;

/// <summary>
/// Authenticates queue API callers. In <c>ApiKey</c> mode a bearer key names the principal; in
/// <c>None</c> mode only loopback callers are let in (as the operator <c>local</c>), so a service
/// started without keys is never open to the network by accident.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth,
    IdentityDirectory identities)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "QueuedTrainingApiKey";
    public const string OperatorRole = "operator";
    public const string LocalPrincipal = "local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = auth.CurrentValue;
        if (string.Equals(settings.Mode, AuthModes.None, StringComparison.OrdinalIgnoreCase))
        {
            var remote = Context.Connection.RemoteIpAddress;
            if (remote is not null && !IPAddress.IsLoopback(remote))
            {
                return Task.FromResult(AuthenticateResult.Fail("Without configured API keys the queue only serves loopback callers."));
            }

            // A loopback caller may still be a web page in the user's browser: refuse what a page can send and a
            // local tool never does, a foreign Host (DNS rebinding) or a foreign Origin (a cross-site form or fetch).
            return Task.FromResult(LoopbackRequest.ForeignPart(Request) is { } foreign
                ? AuthenticateResult.Fail($"Without configured API keys the queue refuses a request whose {foreign} is not a loopback address.")
                : Success(LocalPrincipal, isOperator: true));
        }

        var key = ReadKey();
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(identities.FindByApiKey(key) is { } caller
            ? Success(caller.Principal, caller.IsOperator)
            : AuthenticateResult.Fail("The API key is not known."));
    }

    private string? ReadKey()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var apiKey = Request.Headers["X-Api-Key"].ToString();
        return string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    /// <summary>A refused caller is told why, in a problem detail: no key, an unknown key, or not a local request.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var detail = result.Failure?.Message ?? "This call needs an API key: send Authorization: Bearer <key> or X-Api-Key.";
        await Problems.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Authentication required.", detail)
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    private static AuthenticateResult Success(string principal, bool isOperator)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, principal) };
        if (isOperator)
        {
            claims.Add(new Claim(ClaimTypes.Role, OperatorRole));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
