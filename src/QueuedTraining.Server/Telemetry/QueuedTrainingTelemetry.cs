using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using QueuedTraining.Core.Diagnostics;

namespace QueuedTraining.Server.Telemetry;

/// <summary>
/// Exports the engine's meter: a Prometheus scrape endpoint, OTLP, both or neither. With neither, OpenTelemetry is not
/// registered at all, so nothing listens to the meter and its instruments cost nothing beyond a check.
/// </summary>
internal static class QueuedTrainingTelemetry
{
    public const string PrometheusPath = "/metrics";

    public static IServiceCollection AddQueuedTrainingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        // Whether to export at all is decided while services are registered; an invalid value fails here, naming itself.
        var telemetry = Read(configuration);
        if (!telemetry.Enabled)
        {
            return services;
        }

        var builder = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("QueuedTraining"));
        if (telemetry.OtlpTracesEndpoint is { } tracesEndpoint)
        {
            builder.WithTracing(tracing => tracing
                .AddSource(QueueTracing.SourceName)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = new Uri(tracesEndpoint);
                    exporter.Protocol = telemetry.OtlpProtocol == OtlpProtocols.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        }

        builder.WithMetrics(metrics =>
            {
                metrics.AddMeter(QueueMetrics.MeterName);
                if (telemetry.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (telemetry.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = new Uri(endpoint);
                        exporter.Protocol = telemetry.OtlpProtocol == OtlpProtocols.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.OtlpExportInterval.TotalMilliseconds;
                    });
                }
            });
        return services;
    }

    /// <summary>Maps <c>/metrics</c> when Prometheus is on. Anonymous, as scrapers are: it names pools and counts, never jobs.</summary>
    public static void MapQueuedTrainingTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(PrometheusPath).AllowAnonymous();
        }
    }

    private static TelemetryOptions Read(IConfiguration configuration)
    {
        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (new TelemetryOptionsValidator().Validate(null, telemetry) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(TelemetryOptions.SectionName, typeof(TelemetryOptions), invalid.Failures);
        }

        return telemetry;
    }
}
