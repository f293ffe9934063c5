using System.Text.Json;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.MeterLink.Uplinks;

namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// What a meter publishes under <c>prepay/v1/meters/{n}/{kind}</c> to and from typed uplinks (docs/mqtt.md, Payloads):
/// one line per kind each way. Reading is the protocol's strict reading (<see cref="ProtocolJson.Incoming"/>); what the
/// values mean (a negative register, an instant far ahead) is ingestion's to judge, item by item, for every transport.
/// </summary>
public static class V1Uplinks
{
    /// <summary>
    /// The typed uplink in <paramref name="payload"/>, published under <paramref name="kind"/>. Throws
    /// <see cref="JsonException"/> for what is not JSON of the kind's shape and <see cref="V1PayloadException"/>, with
    /// the refusal's name, for JSON that is not what the protocol says.
    /// </summary>
    public static MeterUplink Read(string kind, ReadOnlySpan<byte> payload) => kind switch
    {
        Topics.Readings => Readings(Parse<ReadingsMessage>(payload)),
        Topics.Events => Events(Parse<EventsMessage>(payload)),
        Topics.Acks => Acknowledgement(Parse<AckMessage>(payload)),
        Topics.Status => Status(Parse<StatusMessage>(payload)),
        _ => throw new V1PayloadException("unknown-topic"),
    };

    /// <summary>The topic kind and the v1 payload that carry <paramref name="uplink"/>; false for an uplink v1 has no message for.</summary>
    public static bool TryWrite(MeterUplink uplink, out string kind, out object payload)
    {
        (kind, payload) = uplink switch
        {
            IntervalReadings r => (Topics.Readings, (object)new ReadingsMessage([.. r.Readings.Select(Reading)])),
            MeterEvents e => (Topics.Events, new EventsMessage([.. e.Events.Select(Event)])),
            CommandAcknowledgement a => (Topics.Acks, Acknowledgement(a)),
            MeterStatus s => (Topics.Status, new StatusMessage(s.Online, s.Relay, s.Credit?.WattHours, s.Register?.WattHours, s.At?.ToDateTimeOffset(), s.KeyRevision,
                s.DisplayedBalance?.Balance.Minor, s.DisplayedBalance?.Balance.Currency.Code, s.DisplayedBalance?.AsOf.ToDateTimeOffset())),
            _ => ("", new object()),
        };
        return kind.Length > 0;
    }

    public static ReadingPayload Reading(MeterReading r) =>
        new(r.At.ToDateTimeOffset(), r.Register.WattHours, r.Used.WattHours, r.Credit.WattHours, r.VoltageDv, r.CurrentMa, r.PowerW);

    public static EventPayload Event(MeterEvent e) => new(e.At.ToDateTimeOffset(), e.Type, e.Details);

    public static AckMessage Acknowledgement(CommandAcknowledgement a) => new(a.CommandId, a.Result switch
    {
        AcknowledgementResult.Applied => AckResults.Applied,
        AcknowledgementResult.Duplicate => AckResults.Duplicate,
        _ => AckResults.Rejected,
    }, a.Reason, a.At.ToDateTimeOffset());

    private static T Parse<T>(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<T>(payload, ProtocolJson.Incoming) ?? throw new V1PayloadException("empty");

    private static IntervalReadings Readings(ReadingsMessage m) =>
        m.Readings is null || m.Readings.Any(r => r is null)
            ? throw new V1PayloadException("out-of-schema")
            : new IntervalReadings([.. m.Readings.Select(r => new MeterReading(Instant.FromDateTimeOffset(r.At), new Energy(r.EnergyWh), new Energy(r.DeltaWh),
                new Energy(r.CreditWh), r.VoltageDv, r.CurrentMa, r.PowerW))]);

    private static MeterEvents Events(EventsMessage m) =>
        m.Events is null || m.Events.Any(e => e is null)
            ? throw new V1PayloadException("out-of-schema")
            : new MeterEvents([.. m.Events.Select(e => new MeterEvent(Instant.FromDateTimeOffset(e.At), e.Type, e.Details))]);

    private static CommandAcknowledgement Acknowledgement(AckMessage a) => new(a.CommandId, a.Result switch
    {
        AckResults.Applied => AcknowledgementResult.Applied,
        AckResults.Duplicate => AcknowledgementResult.Duplicate,
        AckResults.Rejected => AcknowledgementResult.Rejected,
        _ => throw new V1PayloadException("out-of-schema"),
    }, a.Reason, Instant.FromDateTimeOffset(a.At));

    private static MeterStatus Status(StatusMessage s) =>
        new(s.Online, s.Relay, s.CreditWh is { } c ? new Energy(c) : null, s.EnergyWh is { } e ? new Energy(e) : null,
            s.At is { } at ? Instant.FromDateTimeOffset(at) : null, s.KeyRevision)
        { DisplayedBalance = Displayed(s) };

    // All three or none: a balance without its currency or its instant cannot be compared with what the server told it.
    private static DisplayedBalance? Displayed(StatusMessage s) => (s.BalanceMinor, s.BalanceCurrency, s.BalanceAt) switch
    {
        (null, null, null) => null,
        ({ } minor, { } code, { } at) when Currency.TryFromCode(code, out var currency) => new DisplayedBalance(new Money(minor, currency), Instant.FromDateTimeOffset(at)),
        _ => throw new V1PayloadException("out-of-schema"),
    };
}

/// <summary>A payload that parsed as JSON but is not what the protocol says; the message names the refusal as it is counted.</summary>
public sealed class V1PayloadException(string reason) : Exception(reason);
