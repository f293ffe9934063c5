using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>Short builders for the Data values the interface classes carry.</summary>
public static class CosemValues
{
    public static DlmsStructure Structure(params DlmsValue[] fields) => new(new ValueList<DlmsValue>(fields));

    public static DlmsArray Array(IEnumerable<DlmsValue> items) => new(new ValueList<DlmsValue>(items));

    public static OctetString Name(ObisCode code) => new(new Octets(code.ToBytes()));

    public static OctetString Bytes(ReadOnlySpan<byte> bytes) => new(new Octets(bytes));

    /// <summary>A date-time as the clock and capture-time attributes carry it: an octet-string of 12 bytes.</summary>
    public static OctetString DateTime(CosemDateTime value) => new(value.ToOctets());

    /// <summary>A bit-string of 8 bits from one byte (credit status, credit configuration).</summary>
    public static DlmsBitString Bits8(byte value) => new(8, new Octets([value]));

    /// <summary>The "not specified" date-time: every field 0xFF, deviation 0x8000, status 0xFF.</summary>
    public static OctetString UnspecifiedDateTime { get; } =
        new(Octets.FromHex("FFFFFFFFFFFFFFFFFF8000FF"));

    /// <summary>Reads an integer-typed Data value as a 64-bit number; null when the value is not a number.</summary>
    public static long? AsInteger(DlmsValue value) => value switch
    {
        Integer v => v.Value,
        Long v => v.Value,
        DoubleLong v => v.Value,
        Long64 v => v.Value,
        Unsigned v => v.Value,
        LongUnsigned v => v.Value,
        DoubleLongUnsigned v => v.Value,
        Long64Unsigned v when v.Value <= long.MaxValue => (long)v.Value,
        DlmsEnum v => v.Value,
        _ => null,
    };
}
