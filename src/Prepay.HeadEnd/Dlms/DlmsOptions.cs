using Microsoft.Extensions.Configuration;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// The head-end's DLMS side (<c>Dlms</c> section): whether it runs, how often each DLMS meter is read, how many
/// meters are talked to at once, how far back a meter's first read reaches, and below which credit a meter is told
/// to be low. Keys are under <c>Dlms:Keys</c> (<see cref="ConfigurationDlmsKeyProvider"/>); endpoints are per meter,
/// in the database (<see cref="DlmsEndpoints"/>).
/// </summary>
public sealed class DlmsOptions
{
    public const string Section = "Dlms";

    /// <summary>The DLMS transport and scheduled reads run (nothing happens while no meter has transport <c>dlms</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often every DLMS meter's load profile and state are read: 1 second to 1 day.</summary>
    public TimeSpan ReadInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sessions at once across meters, 1 to 1024 (each meter has one session at a time, whatever this says).</summary>
    public int MaxConcurrentMeters { get; set; } = 32;

    /// <summary>How far back the first read of a meter with no stored reading reaches: 1 hour to 40 days.</summary>
    public TimeSpan FirstReadBack { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Credit (Wh) at or below which a read finds the meter's credit low and records <c>lowCredit</c> as it crosses;
    /// 0 to 10,000,000.
    /// </summary>
    public long LowCreditWh { get; set; } = 5_000;

    /// <summary>Where meters' pushed Data-Notifications are received (<c>Dlms:Push</c>); off unless a port is given.</summary>
    public DlmsPushOptions Push { get; set; } = new();

    public string? Validate() =>
        ReadInterval < TimeSpan.FromSeconds(1) || ReadInterval > TimeSpan.FromDays(1) ? "Dlms:ReadInterval must be 1 s to 1 day"
        : MaxConcurrentMeters is < 1 or > 1024 ? "Dlms:MaxConcurrentMeters must be 1 to 1024"
        : FirstReadBack < TimeSpan.FromHours(1) || FirstReadBack > TimeSpan.FromDays(40) ? "Dlms:FirstReadBack must be 1 hour to 40 days"
        : LowCreditWh is < 0 or > 10_000_000 ? "Dlms:LowCreditWh must be 0 to 10000000"
        : Push.Validate();

    public static DlmsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DlmsOptions>() ?? new DlmsOptions();
}
