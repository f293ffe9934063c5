using System.Text.Json.Serialization;

namespace Prepay.Meter.Commands;

/// <summary>
/// A remote (smart-mode) command. <see cref="CommandId"/> is chosen by the head-end, unique per meter and
/// increasing in issue order; the meter applies each id at most once however often it arrives.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AddCredit), "addCredit")]
[JsonDerivedType(typeof(Connect), "connect")]
[JsonDerivedType(typeof(Disconnect), "disconnect")]
[JsonDerivedType(typeof(SetThresholds), "setThresholds")]
[JsonDerivedType(typeof(ReadNow), "readNow")]
[JsonDerivedType(typeof(SetFriendlyHours), "setFriendlyHours")]
[JsonDerivedType(typeof(ClearTamper), "clearTamper")]
[JsonDerivedType(typeof(SetCreditPolicy), "setCreditPolicy")]
[JsonDerivedType(typeof(ShowBalance), "showBalance")]
[JsonDerivedType(typeof(SetCreditMode), "setCreditMode")]
public abstract record MeterCommand(long CommandId);
