namespace Prepay.Vending.Tokens;

/// <summary>
/// The class 2 management tokens an operator may issue, numbered as their STS subclasses (IEC 62055-41 §6.2).
/// Key change sections (subclasses 3, 4, 8, 9) are not here: they come only as a set, see <see cref="KeyTarget"/>.
/// </summary>
public enum ManagementTokenKind
{
    /// <summary>Set maximum power limit, in watts.</summary>
    SetMaximumPowerLimit = 0,

    /// <summary>Clear credit: a 16-bit register mask, 0xFFFF (the default) for all registers.</summary>
    ClearCredit = 1,

    /// <summary>Set tariff rate.</summary>
    SetTariffRate = 2,

    /// <summary>Clear tamper condition.</summary>
    ClearTamper = 5,

    /// <summary>Set maximum phase power unbalance limit, in watts.</summary>
    SetMaximumPhasePowerUnbalanceLimit = 6,

    /// <summary>Set water meter factor.</summary>
    SetWaterMeterFactor = 7,
}

/// <summary>Names on the wire and which kinds need a value.</summary>
public static class ManagementTokenKinds
{
    private static readonly Dictionary<string, ManagementTokenKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["setMaximumPowerLimit"] = ManagementTokenKind.SetMaximumPowerLimit,
        ["clearCredit"] = ManagementTokenKind.ClearCredit,
        ["setTariffRate"] = ManagementTokenKind.SetTariffRate,
        ["clearTamper"] = ManagementTokenKind.ClearTamper,
        ["setMaximumPhasePowerUnbalanceLimit"] = ManagementTokenKind.SetMaximumPhasePowerUnbalanceLimit,
        ["setWaterMeterFactor"] = ManagementTokenKind.SetWaterMeterFactor,
    };

    /// <summary>The accepted names, for error messages.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out ManagementTokenKind kind) => ByName.TryGetValue(name ?? "", out kind);

    /// <summary>The camelCase wire name.</summary>
    public static string Name(this ManagementTokenKind kind) => ByName.First(p => p.Value == kind).Key;

    /// <summary>The 16-bit value when the request gives none, or null when one is required.</summary>
    /// <summary>Whether its value is watts in the TransferAmount format (class 2 subclasses 0 and 6, IEC 62055-41).</summary>
    public static bool IsPowerLimit(this ManagementTokenKind kind) => Prepay.Sts.Tokens.TokenData.IsTransferAmount(Prepay.Sts.Tokens.TokenClass.MeterSpecificManagement, (int)kind);

    public static ushort? DefaultValue(this ManagementTokenKind kind) => kind switch
    {
        ManagementTokenKind.ClearCredit => 0xFFFF,
        ManagementTokenKind.ClearTamper => 0,
        _ => null,
    };
}
