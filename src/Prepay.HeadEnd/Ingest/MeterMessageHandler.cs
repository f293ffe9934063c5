using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Protocol;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Everything a meter sends, whatever the transport: parsed strictly, checked item by item, and routed. A payload
/// that is malformed, too large or out of schema is refused whole and counted; an item that is wrong (a negative
/// register, an instant far in the future, a register running backwards) is refused and counted while the rest of
/// its batch is kept.
/// </summary>
public sealed class MeterMessageHandler(
    IServiceScopeFactory scopes,
    MeterDirectory meters,
    ReadingIngestor readings,
    RejectionCounter rejections,
    MeterRateLimits limits,
    MqttOptions options,
    IClock clock)
{
    /// <summary>
    /// Raised inside the transaction that stores a meter's new events, with its context: what a listener writes there
    /// (the alerts' outbox rows) commits with the events or not at all, so no stored event is left without its alert.
    /// Listeners run one after another, each awaited, never side by side on the one context.
    /// </summary>
    public event Func<PrepayDb, Guid, string, IReadOnlyList<EventPayload>, CancellationToken, Task>? EventsStoring;

    /// <summary>Raised after the transaction that stored a meter's new events has committed (to wake senders).</summary>
    public event Action<Guid, string, IReadOnlyList<EventPayload>>? EventsStored;

    /// <summary>
    /// Raised after an acknowledgement closed a command: the meter's next command, which waited for this one
    /// (<see cref="CommandDispatcher"/> sends a meter its lowest open command only), is due now.
    /// </summary>
    public event Action? CommandClosed;

    public async Task HandleAsync(string meterNumber, string kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (payload.Length > options.MaxPayloadBytes)
        {
            rejections.Count(meterNumber, "too-large");
            return;
        }
        if (await meters.IdAsync(meterNumber, ct) is not { } meterId)
        {
            rejections.Count(meterNumber, "unknown-meter");
            return;
        }
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            // RFC 8259 §8.1: JSON between systems is UTF-8. The parser would read a broken sequence inside a string
            // as U+FFFD and store it; the meter sent something else.
            rejections.Count(meterNumber, "malformed");
            return;
        }
        try
        {
            switch (kind)
            {
                case Topics.Readings:
                    await ReadingsAsync(meterNumber, meterId, Parse<ReadingsMessage>(payload), ct);
                    break;
                case Topics.Events:
                    await EventsAsync(meterNumber, meterId, Parse<EventsMessage>(payload), ct);
                    break;
                case Topics.Acks:
                    await AckAsync(meterNumber, Parse<AckMessage>(payload), ct);
                    break;
                case Topics.Status:
                    await StatusAsync(meterId, Parse<StatusMessage>(payload), ct);
                    break;
                default:
                    rejections.Count(meterNumber, "unknown-topic");
                    break;
            }
        }
        catch (JsonException)
        {
            rejections.Count(meterNumber, "malformed");
        }
        catch (SchemaException e)
        {
            rejections.Count(meterNumber, e.Message);
        }
    }

    private static T Parse<T>(ReadOnlyMemory<byte> payload) =>
        JsonSerializer.Deserialize<T>(payload.Span, ProtocolJson.Incoming) ?? throw new SchemaException("empty");

    /// <summary>Text a database can keep: PostgreSQL's text refuses NUL, which JSON can carry (<c>\u0000</c>).</summary>
    private static bool Storable(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    private Instant Latest => clock.GetCurrentInstant() + Duration.FromDays(1);

    private async Task ReadingsAsync(string meterNumber, Guid meterId, ReadingsMessage message, CancellationToken ct)
    {
        if (message.Readings is null || message.Readings.Count > options.MaxItemsPerMessage)
        {
            throw new SchemaException(message.Readings is null ? "out-of-schema" : "too-many-items");
        }
        if (message.Readings.Any(r => r is null))
        {
            throw new SchemaException("out-of-schema");
        }
        var latest = Latest;
        foreach (var r in message.Readings)
        {
            var at = Instant.FromDateTimeOffset(r.At);
            if (r.EnergyWh < 0 || r.DeltaWh < 0 || r.VoltageDv < 0 || r.CurrentMa < 0 || r.PowerW < 0 || at > latest)
            {
                rejections.Count(meterNumber, "invalid-reading");
                continue;
            }
            await readings.AcceptAsync(meterNumber, new IntervalReading
            {
                MeterId = meterId, At = at, EnergyWh = r.EnergyWh, DeltaWh = r.DeltaWh, CreditWh = r.CreditWh,
                VoltageDv = r.VoltageDv, CurrentMa = r.CurrentMa, PowerW = r.PowerW,
            }, ct);
        }
    }

    private async Task EventsAsync(string meterNumber, Guid meterId, EventsMessage message, CancellationToken ct)
    {
        if (message.Events is null || message.Events.Count > options.MaxItemsPerMessage)
        {
            throw new SchemaException(message.Events is null ? "out-of-schema" : "too-many-items");
        }
        if (message.Events.Any(e => e is null))
        {
            throw new SchemaException("out-of-schema");
        }
        if (!limits.AdmitEvents(meterNumber, message.Events.Count))
        {
            // Refused whole, before anything is written: no event, so no alert and no SMS, from a flood.
            return;
        }
        var latest = Latest;
        var kept = new List<EventPayload>(message.Events.Count);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant().ToUnixTimeTicks();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            foreach (var e in message.Events)
            {
                var at = Instant.FromDateTimeOffset(e.At);
                if (string.IsNullOrWhiteSpace(e.Type) || e.Type.Length > 40 || e.Details is { Length: > 2000 } || !Storable(e.Type) || !Storable(e.Details) || at > latest)
                {
                    rejections.Count(meterNumber, "invalid-event");
                    continue;
                }
                var inserted = await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO meter_events (meter_id, at, type, details, received_at) VALUES ({meterId}, {at.ToUnixTimeTicks()}, {e.Type}, {e.Details}, {now}) ON CONFLICT (meter_id, at, type) DO NOTHING", ct);
                if (inserted > 0)
                {
                    kept.Add(e);
                }
            }
            if (kept.Count > 0 && EventsStoring is { } storing)
            {
                // A multicast Func<…, Task> invoked at once would start every listener and return only the last one's
                // task; the others would run on unawaited, on this context, past the commit.
                foreach (var listener in storing.GetInvocationList().Cast<Func<PrepayDb, Guid, string, IReadOnlyList<EventPayload>, CancellationToken, Task>>())
                {
                    await listener(db, meterId, meterNumber, kept, ct);
                }
            }
            await tx.CommitAsync(ct);
        }
        if (kept.Count > 0)
        {
            EventsStored?.Invoke(meterId, meterNumber, kept);
        }
    }

    private async Task AckAsync(string meterNumber, AckMessage ack, CancellationToken ct)
    {
        if (ack.Result is not ("applied" or "duplicate" or "rejected") || !Storable(ack.Reason))
        {
            throw new SchemaException("out-of-schema");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (await db.QueuedAsync(() => CommandQueue.AcknowledgeAsync(db, meterNumber, ack.CommandId, ack.Result, ack.Reason, clock.GetCurrentInstant(), ct), ct) > 0)
        {
            CommandClosed?.Invoke();
        }
    }

    private async Task StatusAsync(Guid meterId, StatusMessage status, CancellationToken ct)
    {
        if (status.Relay is { Length: > 20 } || !Storable(status.Relay) || status.KeyRevision is < 0 or > 15)
        {
            throw new SchemaException("out-of-schema");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant().ToUnixTimeTicks();
        await db.QueuedAsync(() => db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO meter_status (meter_id, online, last_seen_at, relay, credit_wh, energy_wh, key_revision) VALUES ({meterId}, {status.Online}, {now}, {status.Relay}, {status.CreditWh}, {status.EnergyWh}, {status.KeyRevision})
            ON CONFLICT (meter_id) DO UPDATE SET online = excluded.online, last_seen_at = excluded.last_seen_at,
                relay = COALESCE(excluded.relay, meter_status.relay), credit_wh = COALESCE(excluded.credit_wh, meter_status.credit_wh),
                energy_wh = COALESCE(excluded.energy_wh, meter_status.energy_wh), key_revision = COALESCE(excluded.key_revision, meter_status.key_revision)
            """, ct), ct);
    }

    /// <summary>A payload that parsed as JSON but is not what the protocol says.</summary>
    private sealed class SchemaException(string reason) : Exception(reason);
}
