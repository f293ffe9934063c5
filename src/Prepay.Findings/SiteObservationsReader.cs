using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.MeterLink.Mqtt;
using Prepay.RevenueProtection.Observations;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Findings;

/// <summary>
/// A site's records for the detectors, read in a few queries for all its meters: the meters installed at its premises
/// during the window, their readings and events, their sales (a smart meter's vends that queued credit for it, a
/// keypad meter's tokens; reversed vends left out) and the credit they registered (credit commands acknowledged as
/// applied or duplicate, with their vend; tokens accepted, with their energy).
/// </summary>
internal static class SiteObservationsReader
{
    public static async Task<(SiteObservations Site, IReadOnlyDictionary<string, Guid> MeterIds)> ReadAsync(PrepayDb db, Guid siteId, string siteCode, Interval window, CancellationToken ct)
    {
        var (start, end) = (window.Start, window.End);
        var meters = await (from i in db.MeterInstallations.AsNoTracking()
                            join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
                            join m in db.Meters.AsNoTracking() on i.MeterId equals m.Id
                            where p.SiteId == siteId && i.InstalledAt <= end && (i.RemovedAt == null || i.RemovedAt > start)
                            select new { m.Id, m.MeterNumber, m.Mode }).Distinct().ToListAsync(ct);
        var ids = meters.Select(m => m.Id).ToList();
        var readings = (await db.Readings.AsNoTracking().Where(r => ids.Contains(r.MeterId) && r.At > start && r.At <= end)
            .Select(r => new { r.MeterId, r.At, r.DeltaWh, r.VoltageDv, r.PowerW }).ToListAsync(ct)).ToLookup(r => r.MeterId);
        var events = (await db.MeterEvents.AsNoTracking().Where(e => ids.Contains(e.MeterId) && e.At > start && e.At <= end)
            .Select(e => new { e.MeterId, e.Id, e.At, e.Type, e.Details }).ToListAsync(ct)).ToLookup(e => e.MeterId);
        var vends = (await db.Vends.AsNoTracking().Where(v => ids.Contains(v.MeterId) && v.At > start && v.At <= end && !db.VendReversals.Any(r => r.VendId == v.Id))
            .Select(v => new { v.Id, v.MeterId, v.At, v.EnergyWh, v.TokenId, v.Token }).ToListAsync(ct)).ToLookup(v => v.MeterId);
        // A vend's credit goes as addCredit, or as deliverToken to a smart meter with a decoder; either names its vend.
        var credits = (await db.MeterCommands.AsNoTracking()
                .Where(c => ids.Contains(c.MeterId) && (c.Type == CommandTypes.AddCredit || c.Type == CommandTypes.DeliverToken) && c.CreatedAt > start && c.CreatedAt <= end)
                .Select(c => new { c.MeterId, c.Reference, c.State, c.AcknowledgedAt, c.Outcome, c.Arguments }).ToListAsync(ct))
            .Select(c => new { c.MeterId, Vend = CreditCommandReference.VendOf(c.Reference)?.ToString(), c.State, c.AcknowledgedAt, c.Outcome, c.Arguments }).ToLookup(c => c.MeterId);

        var observed = meters.OrderBy(m => m.MeterNumber, StringComparer.Ordinal).Select(m =>
        {
            var keypad = m.Mode == MeterMode.Token;
            var commanded = credits[m.Id].Where(c => c.Vend is not null).Select(c => c.Vend!).ToHashSet(StringComparer.Ordinal);
            var sold = vends[m.Id].ToDictionary(v => v.Id.ToString(), v => v.EnergyWh, StringComparer.Ordinal);
            var sales = vends[m.Id]
                .Where(v => keypad ? v.Token is not null : commanded.Contains(v.Id.ToString()))
                .Select(v => new SalePoint(v.Id.ToString(), v.At, new Energy(v.EnergyWh), keypad ? v.TokenId : null)).ToList();
            var registered = credits[m.Id]
                .Where(c => c.State == Storage.Records.Metering.CommandState.Acknowledged && c.AcknowledgedAt is not null && Applied(c.Outcome))
                .Select(c => new RegisteredCredit(c.AcknowledgedAt!.Value,
                    new Energy(c.Vend is not null && sold.TryGetValue(c.Vend, out var wh) ? wh : Member(c.Arguments, "energyWh")), c.Vend, null))
                // A token the head-end delivered is registered by its command's acknowledgement; the meter's own event
                // for it (via Remote) is the same credit, and counted again it would be credit no sale explains.
                .Concat(events[m.Id].Where(e => e.Type == "tokenAccepted" && Text(e.Details, "via") != "Remote")
                    .Select(e => new RegisteredCredit(e.At, new Energy(Member(e.Details, "tokenWh")), null, null)))
                .ToList();
            var heard = readings[m.Id].Any() || events[m.Id].Any();
            return new MeterObservations(
                MeterNumber.Parse(m.MeterNumber), keypad ? CreditPath.Keypad : CreditPath.Smart,
                [.. readings[m.Id].Select(r => new ReadingPoint(r.At, r.DeltaWh, r.VoltageDv, r.PowerW))],
                [.. events[m.Id].Select(e => new EventPoint(e.Id, e.At, e.Type))],
                sales, registered)
            {
                // A keypad meter that sends nothing cannot say whether a token was typed.
                ReportsTokens = !keypad || heard,
            };
        }).ToList();
        return (new SiteObservations(siteCode, observed), meters.ToDictionary(m => m.MeterNumber, m => m.Id, StringComparer.Ordinal));
    }

    // A command the meter applied, now or at an earlier arrival (a duplicate of one applied); not a rejection.
    private static bool Applied(string? outcome) =>
        outcome is null || outcome.StartsWith("applied", StringComparison.OrdinalIgnoreCase) || outcome.StartsWith("duplicate", StringComparison.OrdinalIgnoreCase);

    private static long Member(string? json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : 0;

    private static string? Text(string? json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>A member of an event's details when they are a JSON object (the protocol allows plain text: then none).</summary>
    private static JsonElement? Property(string? json, string name)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) ? v.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
