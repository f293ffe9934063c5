using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Display;
using Prepay.Meter.Registers;
using Prepay.Sts.Meter;

namespace Prepay.Meter.Snapshots;

/// <summary>Everything a meter keeps across a simulator restart; serialise with <see cref="Json.MeterJson.Options"/>.</summary>
public sealed record MeterSnapshot(
    MeterConfiguration Configuration,
    Instant Now,
    long EnergyWh,
    long EnergyRemainderWattNanoseconds,
    long LastIntervalEnergyWh,
    long CreditWh,
    long EmergencyOwedWh,
    bool LowCreditArmed,
    bool ExhaustedArmed,
    CreditPolicy Policy,
    int? PowerLimitWatts,
    DisconnectReasons RelayReasons,
    Instant? OverloadRetryAt,
    Alarms Alarms,
    int? VoltageOverrideDeciVolts,
    int ExtraLoadWatts,
    KeypadResult? LastKeypadResult,
    MeterState Decoder,
    long CommandFloor,
    IReadOnlyList<CommandRecord> Commands,
    long LastRelayCommandId,
    long LastThresholdsCommandId,
    long LastFriendlyHoursCommandId,
    long LastCommandSeq = 0,
    ShownBalance? Balance = null,
    long LastBalanceCommandId = long.MinValue,
    CreditMode CreditMode = CreditMode.Meter,
    CreditModeChange? PendingCreditMode = null,
    long LastCreditModeCommandId = long.MinValue);
