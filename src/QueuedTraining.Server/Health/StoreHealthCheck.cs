using Microsoft.Extensions.Diagnostics.HealthChecks;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Health;

/// <summary>
/// Ready when the job store answers one cheap read (a job looked up by a name no job can have) within
/// <see cref="Timeout"/>. A store that hangs is as unready as one that fails, so the read is abandoned, not awaited.
/// </summary>
internal sealed class StoreHealthCheck(IJobStore store, TimeProvider time) : IHealthCheck
{
    public const string Name = "store";

    /// <summary>How long the read may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // Job names are SageMaker names (letters, digits, hyphens), so this one is never stored.
    private const string ProbeName = "readiness probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(ProbeName, cancellationToken).WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The job store answered a read.");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The job store did not answer a read within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The job store failed a read: " + ex.GetType().Name, ex);
        }
    }
}
