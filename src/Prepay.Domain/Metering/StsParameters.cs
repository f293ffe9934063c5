namespace Prepay.Domain.Metering;

/// <summary>
/// What a vending system must know of a token meter to make tokens it accepts (IEC 62055-41):
/// supply group code, key revision number, tariff index, key type, encryption algorithm and base date.
/// </summary>
public sealed record StsParameters(
    int SupplyGroupCode,
    int KeyRevisionNumber,
    int TariffIndex,
    int KeyType,
    StsEncryptionAlgorithm EncryptionAlgorithm,
    StsBaseDate BaseDate)
{
    public static StsParameters Default { get; } =
        new(123457, 1, 1, 2, StsEncryptionAlgorithm.Sta, StsBaseDate.Y2014);

    /// <summary>Checks the ranges the standard gives; returns the first problem or null.</summary>
    public string? Validate() => this switch
    {
        { SupplyGroupCode: < 0 or > 999_999 } => "supplyGroupCode must be 0 to 999999",
        { KeyRevisionNumber: < 1 or > 9 } => "keyRevisionNumber must be 1 to 9",
        { TariffIndex: < 0 or > 99 } => "tariffIndex must be 0 to 99",
        { KeyType: < 0 or > 3 } => "keyType must be 0 to 3",
        _ => null,
    };
}

/// <summary>STS encryption algorithm codes (IEC 62055-41): EA07 is the Standard Transfer Algorithm, EA11 MISTY1.</summary>
public enum StsEncryptionAlgorithm
{
    Sta = 7,
    Dea = 9,
    Misty1 = 11,
}

/// <summary>The base date that token identifiers count minutes from.</summary>
public enum StsBaseDate
{
    Y1993 = 1993,
    Y2014 = 2014,
    Y2035 = 2035,
}
