using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterLink.Uplinks;

/// <summary>
/// One interval as the meter measured it: the import register at the interval's end, the energy used in it, the
/// credit left, and the instantaneous values then (integers: decivolts, milliamps, watts). Values are as the meter
/// sent them; ingestion refuses an impossible one (a negative register) item by item.
/// </summary>
public sealed record MeterReading(Instant At, Energy Register, Energy Used, Energy Credit, int VoltageDv, int CurrentMa, int PowerW);
