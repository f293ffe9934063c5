using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Dlms;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>The named outcomes of setting a meter's DLMS endpoint.</summary>
public abstract record DlmsEndpointOutcome
{
    private DlmsEndpointOutcome()
    {
    }

    public sealed record Saved(DlmsEndpointView Endpoint) : DlmsEndpointOutcome;

    /// <summary>A field is wrong (named, with its rule); nothing was written.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : DlmsEndpointOutcome;

    public sealed record NoMeter : DlmsEndpointOutcome;
}

/// <summary>
/// Per-meter DLMS endpoints (<c>meter_dlms_endpoints</c>): set by an operator (<see cref="SetAsync"/>), read by the
/// DLMS transport and the scheduled reads to open sessions (<see cref="EndpointAsync"/>, <see cref="AllAsync"/>).
/// Keys are not here: the session asks an <see cref="IDlmsKeyProvider"/> for them.
/// </summary>
public static class DlmsEndpoints
{
    public const int DefaultPort = 4059;

    /// <summary>Checks every field, then writes the endpoint (and its audit record) in one save; a wrong field writes nothing.</summary>
    public static async Task<DlmsEndpointOutcome> SetAsync(PrepayDb db, IClock clock, string meterNumber, DlmsEndpointInput input, string auditActor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var host = input.Host?.Trim();
        if (string.IsNullOrEmpty(host) || host.Length > 253 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors["host"] = ["is required: a host name or an IP address"];
        }
        int port = input.Port ?? DefaultPort;
        if (port is < 1 or > 65535)
        {
            errors["port"] = ["must be 1 to 65535"];
        }
        int client = input.ClientAddress ?? 1;
        if (client is < 0 or > ushort.MaxValue)
        {
            errors["clientAddress"] = ["must be a wPort, 0 to 65535 (1: management client, 16: public client)"];
        }
        int server = input.ServerAddress ?? 1;
        if (server is < 0 or > ushort.MaxValue)
        {
            errors["serverAddress"] = ["must be a wPort, 0 to 65535 (1: the management logical device)"];
        }
        var authentication = DlmsAuthentication.HighGmac;
        if (input.Authentication is not null && !DlmsAuthentications.TryParse(input.Authentication, out authentication))
        {
            errors["authentication"] = ["must be none, low or high-gmac"];
        }
        string? systemTitle = null;
        if (input.SystemTitle is { } title)
        {
            if (title.Length != 16 || !title.All(char.IsAsciiHexDigit))
            {
                errors["systemTitle"] = ["must be 16 hex digits (8 bytes: manufacturer and serial)"];
            }
            else
            {
                systemTitle = title.ToUpperInvariant();
            }
        }
        if (errors.Count > 0)
        {
            return new DlmsEndpointOutcome.Invalid(errors);
        }
        if (await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct) is not { } meterId)
        {
            return new DlmsEndpointOutcome.NoMeter();
        }
        var now = clock.GetCurrentInstant();
        var record = await db.DlmsEndpoints.FirstOrDefaultAsync(e => e.MeterId == meterId, ct);
        if (record is null)
        {
            record = new DlmsEndpointRecord { MeterId = meterId, Host = host!, Authentication = DlmsAuthentications.Name(authentication) };
            db.DlmsEndpoints.Add(record);
        }
        record.Host = host!;
        record.Port = port;
        record.ClientAddress = client;
        record.ServerAddress = server;
        record.Authentication = DlmsAuthentications.Name(authentication);
        record.SystemTitle = systemTitle;
        record.UpdatedAt = now;
        var view = View(record);
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = auditActor, Action = "meter.dlms", Target = $"meter/{meterNumber}",
            Details = $"{view.Host}:{view.Port} client {view.ClientAddress} server {view.ServerAddress} {view.Authentication}{(systemTitle is null ? "" : " title " + systemTitle)}",
        });
        await db.SaveChangesAsync(ct);
        return new DlmsEndpointOutcome.Saved(view);
    }

    /// <summary>The endpoint as the API shows it, or null when none is set.</summary>
    public static async Task<DlmsEndpointView?> ViewAsync(PrepayDb db, string meterNumber, CancellationToken ct) =>
        await (from e in db.DlmsEndpoints.AsNoTracking()
               join m in db.Meters on e.MeterId equals m.Id
               where m.MeterNumber == meterNumber
               select e).FirstOrDefaultAsync(ct) is { } record ? View(record) : null;

    /// <summary>How a session reaches <paramref name="meter"/>, or null when no endpoint is set for it.</summary>
    public static async Task<DlmsMeterEndpoint?> EndpointAsync(PrepayDb db, MeterNumber meter, CancellationToken ct) =>
        await (from e in db.DlmsEndpoints.AsNoTracking()
               join m in db.Meters on e.MeterId equals m.Id
               where m.MeterNumber == meter.Value
               select e).FirstOrDefaultAsync(ct) is { } record ? Endpoint(meter, record) : null;

    /// <summary>
    /// The DLMS meter (transport <c>dlms</c>) whose endpoint names <paramref name="systemTitle"/>, or null: how a
    /// ciphered push finds its sender. Titles are stored as upper-case hex, as <see cref="SetAsync"/> writes them.
    /// </summary>
    public static async Task<MeterNumber?> BySystemTitleAsync(PrepayDb db, Octets systemTitle, CancellationToken ct)
    {
        var hex = Convert.ToHexString(systemTitle.Span);
        var numbers = await (from e in db.DlmsEndpoints.AsNoTracking()
                             join m in db.Meters on e.MeterId equals m.Id
                             where e.SystemTitle == hex && m.Transport == MeterTransport.Dlms
                             select m.MeterNumber).Take(2).ToListAsync(ct);
        // Two meters under one title cannot be told apart: neither is believed.
        return numbers.Count == 1 ? MeterNumber.Parse(numbers[0]) : null;
    }

    /// <summary>Whether <paramref name="meter"/> is a DLMS meter with an endpoint (a plain push must name one).</summary>
    public static Task<bool> IsDlmsMeterAsync(PrepayDb db, MeterNumber meter, CancellationToken ct) =>
        (from e in db.DlmsEndpoints.AsNoTracking()
         join m in db.Meters on e.MeterId equals m.Id
         where m.MeterNumber == meter.Value && m.Transport == MeterTransport.Dlms
         select e).AnyAsync(ct);

    /// <summary>Every DLMS meter (transport <c>dlms</c>) with an endpoint, with its id.</summary>
    public static async Task<IReadOnlyList<(Guid MeterId, DlmsMeterEndpoint Endpoint)>> AllAsync(PrepayDb db, CancellationToken ct)
    {
        var rows = await (from e in db.DlmsEndpoints.AsNoTracking()
                          join m in db.Meters on e.MeterId equals m.Id
                          where m.Transport == MeterTransport.Dlms
                          orderby m.MeterNumber
                          select new { m.MeterNumber, Endpoint = e }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Endpoint.MeterId, Endpoint(MeterNumber.Parse(r.MeterNumber), r.Endpoint)))];
    }

    private static DlmsEndpointView View(DlmsEndpointRecord r) =>
        new(r.Host, r.Port, r.ClientAddress, r.ServerAddress, r.Authentication, r.SystemTitle);

    private static DlmsMeterEndpoint Endpoint(MeterNumber meter, DlmsEndpointRecord r) => new()
    {
        Meter = meter,
        Host = r.Host,
        Port = r.Port,
        ClientAddress = checked((ushort)r.ClientAddress),
        ServerAddress = checked((ushort)r.ServerAddress),
        Authentication = DlmsAuthentications.TryParse(r.Authentication, out var a) ? a : DlmsAuthentication.HighGmac,
        MeterSystemTitle = r.SystemTitle is null ? null : Octets.FromHex(r.SystemTitle),
    };
}
