using QueuedTraining.Server.Api;

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
        app.MapJobEndpoints();
        return app;
    }
}
