using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Server.Web.Operations;

/// <summary>What a meter page shows and its script refreshes: status, the last day of readings, events and commands.</summary>
public sealed record MeterActivity(string MeterNumber, bool Online, string Relay, string Credit, string Energy, string LastSeen,
    IReadOnlyList<MeterActivity.ReadingPoint> Readings, IReadOnlyList<MeterActivity.EventRow> Events, IReadOnlyList<MeterActivity.CommandRow> Commands, string At)
{
    public const int ReadingsShown = 96;
    public const int EventsShown = 30;
    public const int CommandsShown = 20;

    /// <summary>One interval: credit left and energy used in it, as kWh strings (exact: Wh / 1000).</summary>
    public sealed record ReadingPoint(string At, string Label, string CreditKwh, string UsedKwh);

    public sealed record EventRow(string At, string Type, string Details);

    public sealed record CommandRow(string Created, string Type, string State, int Attempts, string Outcome, string Reference);

    public static async Task<MeterActivity?> ReadAsync(PrepayDb db, IClock clock, DateTimeZone zone, string meterNumber, CancellationToken ct)
    {
        var meterId = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (meterId is not { } id)
        {
            return null;
        }
        var status = await db.MeterStatus.AsNoTracking().FirstOrDefaultAsync(s => s.MeterId == id, ct);
        var readings = await db.Readings.AsNoTracking().Where(r => r.MeterId == id).OrderByDescending(r => r.At).Take(ReadingsShown)
            .Select(r => new { r.At, r.CreditWh, r.DeltaWh }).ToListAsync(ct);
        var events = await db.MeterEvents.AsNoTracking().Where(e => e.MeterId == id).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(EventsShown).ToListAsync(ct);
        var commands = await db.MeterCommands.AsNoTracking().Where(c => c.MeterId == id).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Seq).Take(CommandsShown).ToListAsync(ct);
        return new MeterActivity(meterNumber, status?.Online ?? false, FleetOverview.RelayText(status?.Relay), FleetOverview.CreditText(status?.CreditWh),
            status?.EnergyWh is { } e ? ConsoleFormat.Kwh(e) : "Unknown", ConsoleFormat.At(status?.LastSeenAt, zone),
            [.. readings.OrderBy(r => r.At).Select(r => new ReadingPoint(ConsoleFormat.Iso(r.At), ConsoleFormat.At(r.At, zone), Kwh(r.CreditWh), Kwh(r.DeltaWh)))],
            [.. events.Select(e => new EventRow(ConsoleFormat.At(e.At, zone), e.Type, e.Details ?? ""))],
            [.. commands.Select(c => new CommandRow(ConsoleFormat.At(c.CreatedAt, zone), c.Type, StateText(c.State), c.Attempts, c.Outcome ?? "", c.Reference ?? ""))],
            ConsoleFormat.AtSecond(clock.GetCurrentInstant(), zone));
    }

    public static string StateText(CommandState state) => state switch
    {
        CommandState.Queued => "Queued",
        CommandState.Sent => "Sent, waiting for the meter",
        CommandState.Acknowledged => "Acknowledged",
        CommandState.Failed => "Failed",
        CommandState.Expired => "Expired",
        CommandState.Cancelled => "Cancelled (its vend was reversed)",
        _ => state.ToString(),
    };

    private static string Kwh(long wh) => new Domain.Energy.Energy(wh).ToKilowattHoursString();
}
