using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace QueuedTraining.Server.Health;

/// <summary>The service's health checks and the two endpoints that run them.</summary>
internal static class QueuedTrainingHealthChecks
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddQueuedTrainingHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<SchedulerHealthCheck>(SchedulerHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<SchedulerLeaseHealthCheck>(SchedulerLeaseHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    public static void MapQueuedTrainingHealthChecks(this IEndpointRouteBuilder app)
    {
        // Liveness runs no check: it says only that the process serves requests, so a brief store outage does not
        // make an orchestrator restart every replica at once.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();

        // Readiness: the store answers and the scheduler runs; 503 otherwise. The lease entry is data, never a failure.
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
    }
}
