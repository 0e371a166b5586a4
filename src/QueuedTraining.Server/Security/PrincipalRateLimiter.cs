using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Server.Security;

/// <summary>
/// One token bucket per principal, for both surfaces: a tenant that floods one cannot use the other to go on. Asked
/// after authentication, so a caller cannot spend another principal's tokens by naming it without proving it.
/// </summary>
internal sealed class PrincipalRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RateLimitOptions _options;

    public PrincipalRateLimiter(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(principal => RateLimitPartition.GetTokenBucketLimiter(principal, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.Burst,
            TokensPerPeriod = _options.RequestsPerPeriod,
            ReplenishmentPeriod = _options.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when <paramref name="caller"/> may go on; otherwise how long it should wait before trying again.</summary>
    public TimeSpan? TryAcquire(JobCaller caller)
    {
        if (!_options.Enabled || caller.IsOperator)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(caller.Principal);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();
}
