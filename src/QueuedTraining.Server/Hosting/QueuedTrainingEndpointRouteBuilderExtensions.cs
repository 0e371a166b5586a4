using QueuedTraining.Server.Api;
using QueuedTraining.Server.Dashboard;
using QueuedTraining.Server.Events;
using QueuedTraining.Server.Health;
using QueuedTraining.Server.SageMakerApi;
using QueuedTraining.Server.Telemetry;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the queue service's endpoints and middleware.</summary>
public static class QueuedTrainingEndpointRouteBuilderExtensions
{
    /// <summary>Adds error handling, authentication and every endpoint of the queue service.</summary>
    public static WebApplication MapQueuedTraining(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        // For load balancers and orchestrators, anonymous: /healthz (the process serves requests) and /readyz.
        app.MapQueuedTrainingHealthChecks();
        app.MapQueuedTrainingTelemetry();
        app.MapJobEndpoints();
        app.MapDashboard();
        app.MapSageMakerEvents();
        app.MapSageMakerCompatibleApi();
        return app;
    }
}
