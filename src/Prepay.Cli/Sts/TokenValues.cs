using System.Globalization;
using Prepay.Sts.Tokens;

namespace Prepay.Cli.Sts;

/// <summary>
/// The value a token carries, from and to what a person types: kWh / m³ (0.1 resolution) for credit subclasses 0-3,
/// watts for the power limits, the raw number otherwise. IEC 62055-41 §6.3.5 (TransferAmount): an amount the 16-bit
/// format cannot hold exactly is carried as the next representable one at or above it (2 000.0 kWh → 2 000.4 kWh);
/// the power limits (class 2 subclasses 0 and 6) use the same format (STS 531-1-0-02 CTSA12/13).
/// </summary>
internal static class TokenValues
{
    /// <summary>What <see cref="TryBuild"/> made.</summary>
    public readonly record struct Built(TokenData Data, string Carried, bool RoundedUp);

    /// <summary>
    /// The token data for a typed quantity; rounds a TransferAmount up unless <paramref name="exact"/>. Returns null on
    /// success, else a one-line reason.
    /// </summary>
    public static string? TryBuild(int tokenClass, int subclass, int rnd, uint tid, decimal quantity, bool exact, out Built built)
    {
        built = default;
        if (subclass is < 0 or > 15 || rnd is < 0 or > 15)
        {
            return "--subclass and --rnd are 0..15.";
        }

        bool tenths = IsTenths(tokenClass, subclass);
        decimal scaled = tenths ? quantity * 10 : quantity;
        if (scaled != decimal.Truncate(scaled))
        {
            return tenths ? "--amount has a resolution of 0.1." : "--amount is a whole number for this token.";
        }

        if (tokenClass is 0 || (tokenClass is 2 && TokenData.IsTransferAmount(TokenClass.MeterSpecificManagement, subclass)))
        {
            return TryAmount(tokenClass, subclass, rnd, tid, scaled, exact, out built);
        }

        switch (tokenClass)
        {
            case 1 when subclass is 0 or 1 && scaled < (subclass == 0 ? 1L << 36 : 1L << 28):
                var test = subclass == 0 ? TokenData.InitiateMeterTestOrDisplay((ulong)scaled, 0) : TokenData.InitiateMeterTestOrDisplay2((uint)scaled, 0);
                built = new Built(test, Format(scaled), false);
                return null;
            case 1:
                return "Class 1: subclass 0 (36-bit control) or 1 (28-bit control); --amount is the control value.";
            case 2 when TokenData.HasTid(TokenClass.MeterSpecificManagement, subclass) && scaled <= ushort.MaxValue:
                built = new Built(TokenData.Management((ManagementSubclass)subclass, rnd, tid, (ushort)scaled), Format(scaled), false);
                return null;
            case 2:
                return "Class 2: subclasses 0-2 and 5-7 with --amount 0..65535 (watts up to 1820162.4 kW for 0 and 6); key change tokens need a new key.";
            default:
                return "--class is 0, 1 or 2.";
        }
    }

    /// <summary>The value a decoded token carries, in the units <see cref="TryBuild"/> takes.</summary>
    public static string Carried(in TokenData data) => data switch
    {
        { FieldIsTransferAmount: true } when IsTenths(data) => Tenths(data.Amount.Units),
        { FieldIsTransferAmount: true } => Format(data.Amount.Units),
        _ => Format(data.Field),
    };

    private static string? TryAmount(int tokenClass, int subclass, int rnd, uint tid, decimal units, bool exact, out Built built)
    {
        built = default;
        bool tenths = IsTenths(tokenClass, subclass);
        string Show(long u) => tenths ? Tenths(u) : Format(u);
        if (units > TransferAmount.MaxUnits)
        {
            return $"--amount is at most {Show(TransferAmount.MaxUnits)} for one token.";
        }

        long asked = (long)units;
        if (!TransferAmount.TryFromUnitsExact(asked, out var amount))
        {
            if (exact)
            {
                return $"--amount {Show(asked)} is not representable in STS; the nearest amounts are {Show(TransferAmount.FromUnitsRoundingDown(asked).Units)} "
                    + $"and {Show(TransferAmount.FromUnitsRoundingUp(asked).Units)} (without --exact it is rounded up).";
            }

            amount = TransferAmount.FromUnitsRoundingUp(asked);
        }

        var data = tokenClass == 0
            ? TokenData.CreditTransfer(subclass, rnd, tid, amount)
            : TokenData.PowerLimit((ManagementSubclass)subclass, rnd, tid, amount);
        built = new Built(data, Show(amount.Units), amount.Units != asked);
        return null;
    }

    // Class 0 subclasses 0-3 count 0.1 of the main unit (kWh, m³); everything else is taken as is.
    private static bool IsTenths(int tokenClass, int subclass) => tokenClass == 0 && subclass <= 3;

    private static bool IsTenths(in TokenData data) => IsTenths((int)data.Class, data.Subclass);

    private static string Tenths(long units) => (units / 10m).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
