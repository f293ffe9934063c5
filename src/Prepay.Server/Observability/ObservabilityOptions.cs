namespace Prepay.Server.Observability;

/// <summary>Section <c>Observability</c>: what a node measures about itself and who may read it.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Seconds between two measurements of the command queue and the alerts outbox. Default 15; 1 to 3600.</summary>
    public int BacklogSampleSeconds { get; set; } = 15;

    public string? Validate() => BacklogSampleSeconds is < 1 or > 3600 ? "Observability:BacklogSampleSeconds must be 1 to 3600" : null;
}
