namespace Prepay.Server.Observability;

/// <summary>Section <c>Observability</c>: what a node measures about itself and who may read it.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Seconds between two measurements of the command queue and the alerts outbox. Default 15; 1 to 3600.</summary>
    public int BacklogSampleSeconds { get; set; } = 15;

    /// <summary>
    /// Where traces go, an OpenTelemetry collector's OTLP endpoint (e.g. <c>http://127.0.0.1:4317</c>; the standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables refine it). Unset: the node traces nothing and spends nothing on it.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    public string? Validate() =>
        BacklogSampleSeconds is < 1 or > 3600 ? "Observability:BacklogSampleSeconds must be 1 to 3600"
        : OtlpEndpoint is { Length: > 0 } e && !(Uri.TryCreate(e, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? $"Observability:OtlpEndpoint must be an http(s) address, not '{e}'"
        : null;
}
