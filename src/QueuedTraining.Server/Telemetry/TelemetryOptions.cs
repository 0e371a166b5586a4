using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.Telemetry;

/// <summary>Where the service exports its metrics (section <c>QueuedTraining:Telemetry</c>); both off by default.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:Telemetry";

    /// <summary>Serves a Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; }

    /// <summary>An OTLP collector's endpoint (for example <c>http://collector:4317</c>); unset exports nothing over OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How OTLP is sent: <c>Grpc</c> (the default) or <c>HttpProtobuf</c>.</summary>
    [Required]
    public string OtlpProtocol { get; set; } = OtlpProtocols.Grpc;

    /// <summary>How often metrics are pushed over OTLP.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An OTLP collector's endpoint for traces (the <c>QueuedTraining</c> activity source); unset exports no traces. With
    /// <c>HttpProtobuf</c> include the signal's path (<c>http://collector:4318/v1/traces</c>).
    /// </summary>
    public string? OtlpTracesEndpoint { get; set; }

    /// <summary>True when any exporter is on.</summary>
    internal bool Enabled => Prometheus || OtlpEndpoint is not null || OtlpTracesEndpoint is not null;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is not null
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"{SectionName}:OtlpEndpoint must be an absolute http or https URL.", [nameof(OtlpEndpoint)]);
        }

        if (OtlpTracesEndpoint is not null
            && (!Uri.TryCreate(OtlpTracesEndpoint, UriKind.Absolute, out var traces) || traces.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"{SectionName}:OtlpTracesEndpoint must be an absolute http or https URL.", [nameof(OtlpTracesEndpoint)]);
        }

        if (OtlpProtocol is not (OtlpProtocols.Grpc or OtlpProtocols.HttpProtobuf))
        {
            yield return new ValidationResult($"{SectionName}:OtlpProtocol must be Grpc or HttpProtobuf.", [nameof(OtlpProtocol)]);
        }
    }
}

/// <summary>The values of <see cref="TelemetryOptions.OtlpProtocol"/>.</summary>
public static class OtlpProtocols
{
    /// <summary>OTLP over gRPC (port 4317 by convention).</summary>
    public const string Grpc = "Grpc";

    /// <summary>OTLP over HTTP with protobuf bodies (port 4318 by convention; the signal's path is added).</summary>
    public const string HttpProtobuf = "HttpProtobuf";
}

/// <summary>Validates <see cref="TelemetryOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<TelemetryOptions>;
