using System.Text.Json.Serialization;
using NodaTime;
using Prepay.Meter.Commands;

namespace Prepay.Meter.Events;

/// <summary>
/// Everything the meter emits: events, readings and command acknowledgements, each stamped with the meter's
/// own instant. Serialise with <see cref="Json.MeterJson.Options"/>; the "type" property names the record.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LowCredit), "lowCredit")]
[JsonDerivedType(typeof(CreditExhausted), "creditExhausted")]
[JsonDerivedType(typeof(EmergencyCreditActivated), "emergencyCreditActivated")]
[JsonDerivedType(typeof(RelayOpened), "relayOpened")]
[JsonDerivedType(typeof(RelayClosed), "relayClosed")]
[JsonDerivedType(typeof(CoverOpen), "coverOpen")]
[JsonDerivedType(typeof(MagneticTamper), "magneticTamper")]
[JsonDerivedType(typeof(TamperCleared), "tamperCleared")]
[JsonDerivedType(typeof(OverVoltage), "overVoltage")]
[JsonDerivedType(typeof(UnderVoltage), "underVoltage")]
[JsonDerivedType(typeof(Overload), "overload")]
[JsonDerivedType(typeof(PowerOutage), "powerOutage")]
[JsonDerivedType(typeof(PowerRestored), "powerRestored")]
[JsonDerivedType(typeof(TokenAccepted), "tokenAccepted")]
[JsonDerivedType(typeof(TokenRejected), "tokenRejected")]
[JsonDerivedType(typeof(CreditHandedOver), "creditHandedOver")]
[JsonDerivedType(typeof(CreditTakenOver), "creditTakenOver")]
[JsonDerivedType(typeof(Reading), "reading")]
[JsonDerivedType(typeof(CommandApplied), "commandApplied")]
[JsonDerivedType(typeof(CommandDuplicate), "commandDuplicate")]
[JsonDerivedType(typeof(CommandRejected), "commandRejected")]
public abstract record MeterOutput(Instant At);
