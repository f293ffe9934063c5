using NodaTime;

namespace Prepay.Storage.Records.Revenue;

/// <summary>
/// A revenue-protection finding (issue 17): what a detector found at a site or meter, with its evidence as JSON, and
/// its state as staff move it: <c>open</c>, <c>investigating</c>, <c>confirmed</c> or <c>dismissed</c>, with who moved
/// it last and why. <see cref="Subject"/> says what the finding is about beyond its kind and place (a vend, a
/// registration; empty for a meter's or a site's condition): at most one finding open or under investigation per
/// (kind, site, meter, subject), which later runs bring up to date rather than repeat.
/// </summary>
public sealed class FindingRecord
{
    public const string Open = "open", Investigating = "investigating", Confirmed = "confirmed", Dismissed = "dismissed";

    public long Id { get; init; }
    public required string Kind { get; init; }
    public required string SiteCode { get; init; }
    public Guid? MeterId { get; init; }
    public string? MeterNumber { get; init; }
    public required string Subject { get; init; }
    public Instant PeriodStart { get; set; }
    public Instant PeriodEnd { get; set; }
    public int Confidence { get; set; }
    public required string Summary { get; set; }

    /// <summary>The records behind it: a JSON array of {kind, at, reference, detail}.</summary>
    public required string Evidence { get; set; }

    public required string State { get; set; }
    public string? StateBy { get; set; }
    public string? StateReason { get; set; }
    public Instant? StateAt { get; set; }
    public Instant FoundAt { get; init; }
    public Instant UpdatedAt { get; set; }
}
