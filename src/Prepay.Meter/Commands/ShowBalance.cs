using NodaTime;

namespace Prepay.Meter.Commands;

/// <summary>
/// Show the money balance the server holds for this meter (the head-end's <c>showBalance</c>, for a meter whose credit
/// is held centrally): <paramref name="BalanceMinor"/> in minor units of <paramref name="Currency"/> (ISO 4217),
/// negative when overdrawn, as the server read it at <paramref name="AsOf"/>. Display only: the credit register, the
/// relay and every credit setting stay as they are. The newest wins: an older one arriving late is superseded.
/// </summary>
public sealed record ShowBalance(long CommandId, long BalanceMinor, string Currency, Instant AsOf) : MeterCommand(CommandId);
