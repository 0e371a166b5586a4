using System.Security.Claims;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Server.Security;

/// <summary>Turns the authenticated user into the <see cref="JobCaller"/> the commands check ownership with.</summary>
internal static class CallerExtensions
{
    public static JobCaller ToCaller(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? ApiKeyAuthenticationHandler.LocalPrincipal, user.IsInRole(ApiKeyAuthenticationHandler.OperatorRole));
}
