using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Server.Web.Operations;

/// <summary>The fleet at a glance, as the console shows it and its script polls it.</summary>
public sealed record FleetSnapshot(Instant At, int Meters, int Online, int Offline, int NeverHeard, int Disconnected, int LowCredit,
    IReadOnlyList<AlertCount> Alerts, IReadOnlyList<AttentionRow> Attention);

/// <summary>Open operator alerts of one kind (several meter event types may make one kind).</summary>
public sealed record AlertCount(string Kind, string Label, int Open);

/// <summary>A meter an operator should look at, and why (each reason in words, never in colour alone).</summary>
public sealed record AttentionRow(string MeterNumber, string? Site, string? Unit, string? Customer, IReadOnlyList<string> Reasons, string Relay, string Credit, Instant? LastSeenAt);

/// <summary>
/// Counts and lists from what the head-end stored (meter status, operator alerts); nothing is decided here that
/// the head-end or the alerts did not already decide, except which of it an operator sees first.
/// </summary>
public sealed class FleetOverview(PrepayDb db, IClock clock)
{
    /// <summary>
    /// A connected meter whose last reported credit is at or below this is "low on credit": 2 kWh, the level at which
    /// the meters themselves warn by default (their own threshold may be set otherwise by command).
    /// </summary>
    public const long LowCreditWh = 2_000;

    public const int AttentionRows = 25;

    /// <summary>Operator alert kinds as the console groups them: tamper, abnormal voltage, overload, outage.</summary>
    public static readonly IReadOnlyList<(string Kind, string Label, string[] Types)> AlertKinds =
    [
        ("tamper", "Tamper", ["coverOpen", "magneticTamper"]),
        ("voltage", "Abnormal voltage", ["overVoltage", "underVoltage"]),
        ("overload", "Overload", ["overload"]),
        ("outage", "Outage", ["powerOutage"]),
    ];

    public async Task<FleetSnapshot> ReadAsync(CancellationToken ct)
    {
        var meters = await db.Meters.CountAsync(ct);
        var heard = await db.MeterStatus.CountAsync(ct);
        var online = await db.MeterStatus.CountAsync(s => s.Online, ct);
        var disconnected = await db.MeterStatus.CountAsync(s => s.Relay == "disconnected", ct);
        var low = await db.MeterStatus.CountAsync(s => s.Relay == "connected" && s.CreditWh != null && s.CreditWh <= LowCreditWh, ct);

        var open = await db.OperatorAlerts.AsNoTracking().Where(a => a.AcknowledgedAt == null)
            .GroupBy(a => a.Type).Select(g => new { Type = g.Key, Count = g.Count() }).ToListAsync(ct);
        var alerts = AlertKinds.Select(k => new AlertCount(k.Kind, k.Label, open.Where(o => k.Types.Contains(o.Type)).Sum(o => o.Count))).ToList();

        return new FleetSnapshot(clock.GetCurrentInstant(), meters, online, meters - online, meters - heard, disconnected, low, alerts, await AttentionAsync(ct));
    }

    private async Task<List<AttentionRow>> AttentionAsync(CancellationToken ct)
    {
        var statuses = await db.MeterStatus.AsNoTracking()
            .Where(s => s.Relay == "disconnected" || !s.Online || (s.Relay == "connected" && s.CreditWh != null && s.CreditWh <= LowCreditWh))
            .OrderByDescending(s => s.LastSeenAt).Take(AttentionRows).ToListAsync(ct);
        var alerted = await db.OperatorAlerts.AsNoTracking().Where(a => a.AcknowledgedAt == null)
            .OrderByDescending(a => a.RaisedAt).Select(a => new { a.MeterId, a.Type }).Take(AttentionRows * 4).ToListAsync(ct);
        var ids = statuses.Select(s => s.MeterId).Concat(alerted.Select(a => a.MeterId)).Distinct().Take(AttentionRows).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var places = await MeterPlacements.Current(db).Where(p => ids.Contains(p.Meter.Id))
            .Select(p => new { p.Meter.Id, p.Meter.MeterNumber, p.SiteCode, p.UnitLabel, p.CustomerName }).ToListAsync(ct);
        var allStatus = await db.MeterStatus.AsNoTracking().Where(s => ids.Contains(s.MeterId)).ToDictionaryAsync(s => s.MeterId, ct);
        var rows = new List<AttentionRow>();
        foreach (var id in ids)
        {
            var place = places.FirstOrDefault(p => p.Id == id);
            if (place is null)
            {
                continue;
            }
            allStatus.TryGetValue(id, out var s);
            var reasons = new List<string>();
            if (s?.Relay == "disconnected")
            {
                reasons.Add("Disconnected");
            }
            if (s is { Online: false })
            {
                reasons.Add("Offline");
            }
            if (s is { Relay: "connected", CreditWh: { } c } && c <= LowCreditWh)
            {
                reasons.Add("Low credit");
            }
            foreach (var kind in AlertKinds.Where(k => alerted.Any(a => a.MeterId == id && k.Types.Contains(a.Type))))
            {
                reasons.Add(kind.Label);
            }
            rows.Add(new AttentionRow(place.MeterNumber, place.SiteCode, place.UnitLabel, place.CustomerName, reasons,
                RelayText(s?.Relay), CreditText(s?.CreditWh), s?.LastSeenAt));
        }
        return rows;
    }

    public static string RelayText(string? relay) => relay switch
    {
        "connected" => "Connected",
        "disconnected" => "Disconnected",
        null => "Unknown",
        _ => relay,
    };

    public static string CreditText(long? creditWh) => creditWh is { } wh ? new Energy(wh).ToKilowattHoursString() + " kWh" : "Unknown";
}
