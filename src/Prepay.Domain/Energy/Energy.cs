using System.Globalization;

namespace Prepay.Domain.Energy;

/// <summary>
/// An amount of electrical energy in watt-hours. Integer by design: a meter register counts whole units,
/// and energy sold is always rounded down to what was paid for.
/// </summary>
public readonly record struct Energy(long WattHours) : IComparable<Energy>
{
    public static Energy Zero => new(0);

    public static Energy FromKilowattHours(long kwh) => new(checked(kwh * 1000));

    public static Energy operator +(Energy a, Energy b) => new(checked(a.WattHours + b.WattHours));
    public static Energy operator -(Energy a, Energy b) => new(checked(a.WattHours - b.WattHours));
    public static bool operator <(Energy a, Energy b) => a.WattHours < b.WattHours;
    public static bool operator >(Energy a, Energy b) => a.WattHours > b.WattHours;
    public static bool operator <=(Energy a, Energy b) => a.WattHours <= b.WattHours;
    public static bool operator >=(Energy a, Energy b) => a.WattHours >= b.WattHours;

    public static Energy Min(Energy a, Energy b) => a <= b ? a : b;
    public static Energy Max(Energy a, Energy b) => a >= b ? a : b;

    public int CompareTo(Energy other) => WattHours.CompareTo(other.WattHours);

    /// <summary>kWh with three decimals, e.g. <c>12.345</c>.</summary>
    public string ToKilowattHoursString()
    {
        // The magnitude as unsigned: Math.Abs(long.MinValue) would overflow.
        var abs = WattHours < 0 ? (ulong)(-(WattHours + 1)) + 1 : (ulong)WattHours;
        return (WattHours < 0 ? "-" : "") + (abs / 1000).ToString(CultureInfo.InvariantCulture) + "." +
               (abs % 1000).ToString("000", CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"{ToKilowattHoursString()} kWh";
}
