using Microsoft.AspNetCore.Builder;

namespace QueuedTraining.Server;

/// <summary>
/// Builds the queue service. <c>Program</c> runs it; the quick start and the tests build the same
/// application in process (on a loopback port) with their own configuration on top.
/// </summary>
public static class QueuedTrainingApplication
{
    /// <summary>Builds the application from command-line arguments, appsettings and environment.</summary>
    /// <param name="args">Command-line arguments (for example <c>--urls</c> or <c>--QueuedTraining:Capacity:ml.g5.xlarge=4</c>).</param>
    /// <param name="configure">Adjusts the builder (configuration, logging, services) before the application is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.Services.AddQueuedTrainingServer(builder.Configuration);

        var app = builder.Build();
        app.MapQueuedTraining();
        return app;
    }
}
