using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QueuedTraining.Core;
using QueuedTraining.Core.Hosting;

namespace QueuedTraining.Server.Health;

/// <summary>
/// Ready while the scheduler process runs and its loop went round recently. The loop goes round at least every
/// <see cref="SchedulerProcess.RoundInterval"/>; it is stale after three of those (and never sooner than
/// <see cref="MinimumStaleAfter"/>, as a round may include a reconciliation with SageMaker).
/// </summary>
internal sealed class SchedulerHealthCheck(SchedulerStatus status, IOptionsMonitor<QueueOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "scheduler";

    public static readonly TimeSpan MinimumStaleAfter = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var staleAfter = SchedulerProcess.RoundInterval(options.CurrentValue) * 3;
        if (staleAfter < MinimumStaleAfter)
        {
            staleAfter = MinimumStaleAfter;
        }

        var lastRound = status.LastRoundAt;
        var data = new Dictionary<string, object>
        {
            ["running"] = status.Running,
            ["lastRoundAt"] = lastRound?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never",
        };
        if (!status.Running)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The scheduler process is not running.", data: data));
        }

        if (lastRound is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The scheduler process has not gone round yet.", data: data));
        }

        var age = time.GetUtcNow() - lastRound.Value;
        return Task.FromResult(age > staleAfter
            ? HealthCheckResult.Unhealthy($"The scheduler process last went round {age.TotalSeconds:0} s ago.", data: data)
            : HealthCheckResult.Healthy("The scheduler process runs.", data));
    }
}
