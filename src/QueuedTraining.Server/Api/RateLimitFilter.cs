using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Server.Security;

namespace QueuedTraining.Server.Api;

/// <summary>Answers 429 with <c>Retry-After</c> when the authenticated principal has spent its requests.</summary>
internal static class RateLimitFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limiter = http.RequestServices.GetRequiredService<PrincipalRateLimiter>();
        if (limiter.TryAcquire(http.User.ToCaller()) is not { } retryAfter)
        {
            return await next(context).ConfigureAwait(false);
        }

        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(
            StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests.", $"This principal made too many requests; retry in {seconds} s.");
    }
}
