using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Prepay.MeterLink.Mqtt;

/// <summary>One interval reading as a meter sends it. Integers only: Wh, decivolts, milliamps, watts.</summary>
public sealed record ReadingPayload(DateTimeOffset At, long EnergyWh, long DeltaWh, long CreditWh, int VoltageDv, int CurrentMa, int PowerW);

public sealed record ReadingsMessage(IReadOnlyList<ReadingPayload> Readings);

public sealed record EventPayload(DateTimeOffset At, string Type, string? Details);

public sealed record EventsMessage(IReadOnlyList<EventPayload> Events);

/// <summary>A meter's answer to a command: <c>applied</c>, <c>duplicate</c> (seen before, not applied again) or <c>rejected</c>.</summary>
public sealed record AckMessage(Guid CommandId, string Result, string? Reason, DateTimeOffset At);

/// <summary>The three results an acknowledgement may carry.</summary>
public static class AckResults
{
    public const string Applied = "applied";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

/// <summary>
/// A meter's state, published retained; its last will is the same with <c>online: false</c>. <see cref="KeyRevision"/>:
/// the key revision its STS decoder holds, for a meter that has one (how a key change campaign sees it arrive).
/// <see cref="BalanceMinor"/>, <see cref="BalanceCurrency"/> and <see cref="BalanceAt"/>: the money balance the meter
/// displays as <c>showBalance</c> last told it, all three or none (optional: meters from before them leave them out).
/// </summary>
public sealed record StatusMessage(bool Online, string? Relay, long? CreditWh, long? EnergyWh, DateTimeOffset? At, int? KeyRevision = null,
    long? BalanceMinor = null, string? BalanceCurrency = null, DateTimeOffset? BalanceAt = null);

/// <summary>
/// A command to a meter. <see cref="CommandId"/> makes it idempotent on the meter; <see cref="Args"/> depends on
/// <see cref="Type"/>: <c>addCredit</c> {energyWh}, <c>deliverToken</c> {tokens} (or {token}), <c>connect</c>, <c>disconnect</c>,
/// <c>setThresholds</c> {lowCreditWh, emergencyCreditWh}, <c>setTariff</c> {tariffCode, version}, <c>readNow</c>,
/// <c>setCreditPolicy</c> {policy, version, friendlyHours, holidays, protected}, <c>showBalance</c> {balanceMinor, currency, asOf},
/// <c>setCreditMode</c> {mode, from, creditWh}.
/// <see cref="Seq"/> is the command's place in its meter's sequence and <see cref="Mac"/> the HMAC over
/// <see cref="CommandSignature.Bytes"/> under the meter's command key (protocol 1.1); a meter refuses a command
/// without them.
/// </summary>
public sealed record CommandMessage(Guid CommandId, string Type, JsonElement? Args, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt,
    long Seq = 0, string? Mac = null);

public static class CommandTypes
{
    public const string AddCredit = "addCredit";
    public const string DeliverToken = "deliverToken";
    public const string Connect = "connect";
    public const string Disconnect = "disconnect";
    public const string SetThresholds = "setThresholds";
    public const string SetTariff = "setTariff";
    public const string ReadNow = "readNow";
    public const string SetCreditPolicy = "setCreditPolicy";
    public const string ShowBalance = "showBalance";
    public const string SetCreditMode = "setCreditMode";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { AddCredit, DeliverToken, Connect, Disconnect, SetThresholds, SetTariff, ReadNow, SetCreditPolicy, ShowBalance, SetCreditMode };
}

/// <summary>Reasons in acknowledgements that the head-end reads, not only records.</summary>
public static class AckReasons
{
    /// <summary>
    /// A <c>deliverToken</c> whose every token the meter's decoder already holds as used: the customer typed them at
    /// the keypad first. Credit was applied once, by the keypad; the command is done (acknowledged), not failed.
    /// </summary>
    public const string TokenUsed = Uplinks.AcknowledgementReasons.TokenUsed;

    /// <summary>A genuine command whose sequence number is below the last the meter accepted: a replay or a late copy, never applied.</summary>
    public const string Replayed = Uplinks.AcknowledgementReasons.Replayed;

    /// <summary>A command past its <c>expiresAt</c> by the meter's clock, never applied.</summary>
    public const string Expired = Uplinks.AcknowledgementReasons.Expired;
}

/// <summary>JSON as the protocol writes it: camelCase, strict (unknown members refused, numbers as numbers).</summary>
public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// What meters send, read stricter still (docs/mqtt.md, Payloads): a member whose type cannot be null is required,
    /// as the document says of every member not shown optional (left out, it would be read as 0 or year 1 and
    /// stored), and a member given twice is refused (which of the two counts is a parser's guess).
    /// </summary>
    public static readonly JsonSerializerOptions Incoming = new(Options)
    {
        AllowDuplicateProperties = false,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { RequireWhatCannotBeNull } },
    };

    private static void RequireWhatCannotBeNull(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { IsNullable: false, HasDefaultValue: false })
            {
                property.IsRequired = true;
            }
        }
    }
}
