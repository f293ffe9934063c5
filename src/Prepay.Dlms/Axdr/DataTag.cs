namespace Prepay.Dlms.Axdr;

/// <summary>
/// The CHOICE tags of the COSEM <c>Data</c> type (DLMS UA Blue Book / IEC 62056-6-2 §4.1.5, "Data ::= CHOICE").
/// Tags 7, 8, 11 and 14 are reserved for short-name and floating-point types not used with logical names.
/// </summary>
public enum DataTag : byte
{
    NullData = 0,
    Array = 1,
    Structure = 2,
    Boolean = 3,
    BitString = 4,
    DoubleLong = 5,
    DoubleLongUnsigned = 6,
    OctetString = 9,
    VisibleString = 10,
    Utf8String = 12,
    Bcd = 13,
    Integer = 15,
    Long = 16,
    Unsigned = 17,
    LongUnsigned = 18,
    CompactArray = 19,
    Long64 = 20,
    Long64Unsigned = 21,
    Enum = 22,
    Float32 = 23,
    Float64 = 24,
    DateTime = 25,
    Date = 26,
    Time = 27,
    DontCare = 255,
}
