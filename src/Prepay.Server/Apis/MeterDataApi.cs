using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Disconnections.Gate;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Server.Apis;

public sealed record MeterStatusDto(string MeterNumber, bool Online, Instant? LastSeenAt, string? Relay, long? CreditWh, long? EnergyWh);

public sealed record ReadingDto(Instant At, long EnergyWh, long DeltaWh, long CreditWh, int VoltageDv, int CurrentMa, int PowerW);

public sealed record MeterEventDto(long Id, Instant At, string Type, string? Details);

public sealed record CommandDto(Guid Id, string Type, JsonElement Args, CommandState State, int Attempts, Instant CreatedAt, Instant? SentAt, Instant? AcknowledgedAt, Instant ExpiresAt, string? Outcome, string? Reference)
{
    public static CommandDto From(MeterCommandRecord c) => new(c.Id, c.Type, JsonDocument.Parse(c.Arguments).RootElement.Clone(), c.State, c.Attempts,
        c.CreatedAt, c.SentAt, c.AcknowledgedAt, c.ExpiresAt, c.Outcome, c.Reference);
}

public sealed record CommandInput(string? Type, JsonElement? Args, string? Reason);

/// <summary>What the head-end knows of a meter: status, readings, events, and the commands sent to it.</summary>
public static class MeterDataApi
{
    public const int MaxRows = 5000;

    public static RouteGroupBuilder MapMeterDataApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/meters/{meterNumber}").WithTags("Meter data and commands").RequireAuthorization(Policies.Staff);
        g.MapGet("/status", Status);
        g.MapGet("/readings", Readings).WithSummary("Interval readings in [from, to), oldest first.");
        g.MapGet("/events", Events);
        g.MapGet("/commands", Commands);
        g.MapPost("/commands", Send).Accepts<CommandInput>("application/json")
            .WithSummary("Queue a command (connect, disconnect, readNow, setThresholds); it is delivered and retried until acknowledged.");
        api.MapGet("/meter-rejections", async (PrepayDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.PayloadRejections.AsNoTracking().OrderByDescending(r => r.Count).Take(MaxRows).ToListAsync(ct)))
            .WithTags("Meter data and commands").RequireAuthorization(Policies.Staff).WithSummary("Refused meter payloads, counted per meter and reason.");
        return api;
    }

    private static async Task<Guid?> MeterIdAsync(PrepayDb db, string meterNumber, CancellationToken ct) =>
        await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);

    private static async Task<IResult> Status(string meterNumber, PrepayDb db, CancellationToken ct)
    {
        if (await MeterIdAsync(db, meterNumber, ct) is not { } id)
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        var s = await db.MeterStatus.AsNoTracking().FirstOrDefaultAsync(x => x.MeterId == id, ct);
        return TypedResults.Ok(new MeterStatusDto(meterNumber, s?.Online ?? false, s?.LastSeenAt, s?.Relay, s?.CreditWh, s?.EnergyWh));
    }

    /// <summary>The meter and the [from, to) range a reading or event listing asks for, or the problem with them.</summary>
    private static async Task<(Guid MeterId, Instant? From, Instant? To, IResult? Problem)> RangeAsync(PrepayDb db, string meterNumber, string? from, string? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var f = VendsApi.ParseInstant(from, "from", errors);
        var t = VendsApi.ParseInstant(to, "to", errors);
        if (errors.Count > 0)
        {
            return (default, null, null, Problems.Invalid(errors));
        }
        return await MeterIdAsync(db, meterNumber, ct) is { } id
            ? (id, f, t, null)
            : (default, null, null, Problems.NotFound($"No meter '{meterNumber}'."));
    }

    private static async Task<IResult> Readings(string meterNumber, string? from, string? to, int? limit, PrepayDb db, CancellationToken ct)
    {
        var (id, f, t, problem) = await RangeAsync(db, meterNumber, from, to, ct);
        if (problem is not null)
        {
            return problem;
        }
        var q = db.Readings.AsNoTracking().Where(r => r.MeterId == id);
        if (f is { } ff)
        {
            q = q.Where(r => r.At >= ff);
        }
        if (t is { } tt)
        {
            q = q.Where(r => r.At < tt);
        }
        var rows = await q.OrderBy(r => r.At).Take(Math.Clamp(limit ?? 1000, 1, MaxRows))
            .Select(r => new ReadingDto(r.At, r.EnergyWh, r.DeltaWh, r.CreditWh, r.VoltageDv, r.CurrentMa, r.PowerW)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> Events(string meterNumber, string? from, string? to, string? type, int? limit, PrepayDb db, CancellationToken ct)
    {
        var (id, f, t, problem) = await RangeAsync(db, meterNumber, from, to, ct);
        if (problem is not null)
        {
            return problem;
        }
        var q = db.MeterEvents.AsNoTracking().Where(e => e.MeterId == id);
        if (f is { } ff)
        {
            q = q.Where(e => e.At >= ff);
        }
        if (t is { } tt)
        {
            q = q.Where(e => e.At < tt);
        }
        if (!string.IsNullOrWhiteSpace(type))
        {
            q = q.Where(e => e.Type == type);
        }
        var rows = await q.OrderBy(e => e.At).Take(Math.Clamp(limit ?? 1000, 1, MaxRows))
            .Select(e => new MeterEventDto(e.Id, e.At, e.Type, e.Details)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> Commands(string meterNumber, int? limit, PrepayDb db, CancellationToken ct)
    {
        if (await MeterIdAsync(db, meterNumber, ct) is not { } id)
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        var rows = await db.MeterCommands.AsNoTracking().Where(c => c.MeterId == id).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Seq)
            .Take(Math.Clamp(limit ?? 100, 1, MaxRows)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(CommandDto.From).ToList());
    }

    private static readonly IReadOnlySet<string> OperatorCommandTypes = new HashSet<string>(StringComparer.Ordinal)
        { CommandTypes.Connect, CommandTypes.Disconnect, CommandTypes.ReadNow, CommandTypes.SetThresholds };

    private static async Task<IResult> Send(string meterNumber, HttpContext http, PrepayDb db, OperatorCommands commands, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<CommandInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (input!.Type is null || !OperatorCommandTypes.Contains(input.Type))
        {
            return Problems.Invalid("type", $"must be one of {string.Join(", ", OperatorCommandTypes)}; credit is sent by vending");
        }
        if (!V1Commands.TryRead(input.Type, input.Args, out var command, out var argsError))
        {
            return Problems.Invalid("args", argsError!);
        }
        if (string.IsNullOrWhiteSpace(input.Reason) || input.Reason.Length > 500)
        {
            return Problems.Invalid("reason", "is required, at most 500 characters");
        }
        return await commands.SendAsync(db, meterNumber, command!, input.Reason, ApiKeyAuthentication.ActorOf(http.User).AuditName, CommandOrigin.Api, ct) switch
        {
            OperatorCommands.Outcome.Queued q => TypedResults.Created($"/api/v1/meters/{meterNumber}/commands", CommandDto.From(q.Command)),
            OperatorCommands.Outcome.Held h => DisconnectionDecisionsApi.NotSent(h.Decision),
            OperatorCommands.Outcome.Refused r => DisconnectionDecisionsApi.NotSent(r.Decision),
            OperatorCommands.Outcome.MeterNotFound n => Problems.NotFound(n.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }
}
