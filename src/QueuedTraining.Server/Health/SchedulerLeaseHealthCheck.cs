using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QueuedTraining.Core;
using QueuedTraining.Core.Hosting;

namespace QueuedTraining.Server.Health;

/// <summary>
/// Says whether this replica holds the scheduler lease. Always healthy: every replica serves the API and only one
/// schedules, so a replica without the lease is as ready as the one with it. It is there for operators to read.
/// </summary>
internal sealed class SchedulerLeaseHealthCheck(SchedulerStatus status, IOptionsMonitor<QueueOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "schedulerLease";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A lease the process could not renew (the store is down) lapses: past its expiry another replica may hold it.
        var lease = status.Lease is { } held && held.ExpiresAt > time.GetUtcNow() ? held : null;
        var data = new Dictionary<string, object>
        {
            ["replicaId"] = options.CurrentValue.ReplicaId,
            ["holdsLease"] = lease is not null,
        };
        if (lease is not null)
        {
            data["token"] = lease.Token;
            data["expiresAt"] = lease.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.FromResult(HealthCheckResult.Healthy(
            lease is not null ? "This replica holds the scheduler lease." : "Another replica schedules, or none yet.", data));
    }
}
