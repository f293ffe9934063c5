using NodaTime;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests.Axdr;

public sealed class AxdrGoldenTests
{
    // Source for the Austria* cases: the decrypted push of an Austrian smart meter on its HAN port, published byte by
    // byte with comments as frames/austria.raw in the amsreader-firmware repository (a frame dump, not code). The
    // body is a structure of (logical name, value, {scaler, unit}) entries.
    [Fact]
    public void Austrian_push_logical_name_of_active_energy_import_is_an_octet_string_of_six_bytes()
    {
        var value = DlmsValue.Decode(Hex.Bytes("09 06 01 00 01 08 00 FF"));

        var octets = Assert.IsType<OctetString>(value).Value;
        Assert.Equal(ObisCode.Parse("1.0.1.8.0.255"), ObisCode.FromBytes(octets.Span));
    }

    [Fact]
    public void Austrian_push_energy_is_a_double_long_unsigned()
    {
        Assert.Equal(new DoubleLongUnsigned(0x00433D0A), DlmsValue.Decode(Hex.Bytes("06 00 43 3D 0A")));
    }

    [Fact]
    public void Austrian_push_scaler_and_unit_is_a_structure_of_integer_and_enum()
    {
        // {scaler 0, unit 30 = Wh} and {scaler -1, unit 35 = V} (units: Blue Book §4.3.2 table of units).
        Assert.Equal(new DlmsStructure([new Integer(0), new DlmsEnum(30)]), DlmsValue.Decode(Hex.Bytes("02 02 0F 00 16 1E")));
        Assert.Equal(new DlmsStructure([new Integer(-1), new DlmsEnum(35)]), DlmsValue.Decode(Hex.Bytes("02 02 0F FF 16 23")));
    }

    [Fact]
    public void Austrian_push_voltage_is_long_unsigned_and_power_factor_is_long()
    {
        Assert.Equal(new LongUnsigned(0x0934), DlmsValue.Decode(Hex.Bytes("12 09 34")));
        Assert.Equal(new Long(0x03CF), DlmsValue.Decode(Hex.Bytes("10 03 CF")));
    }

    [Fact]
    public void Austrian_push_meter_time_is_central_european_winter_time_with_deviation_minus_sixty()
    {
        var value = Assert.IsType<OctetString>(DlmsValue.Decode(Hex.Bytes("09 0C 07 E5 0C 1B 01 0E 00 2D 00 FF C4 02")));
        var stamp = CosemDateTime.FromOctets(value.Value.Span);

        Assert.Equal(new CosemDate(2021, 12, 27, 1), stamp.Date);
        Assert.Equal(new CosemTime(14, 0, 45, 0), stamp.Time);
        Assert.Equal(-60, stamp.Deviation);
        Assert.Equal(ClockStatus.DoubtfulValue, stamp.Status);
        var local = new LocalDateTime(2021, 12, 27, 14, 0, 45);
        Assert.Equal(new OffsetDateTime(local, Offset.FromHours(1)), stamp.ToOffsetDateTime());
        Assert.Equal(IsoDayOfWeek.Monday, stamp.ToOffsetDateTime()!.Value.DayOfWeek);
    }

    [Fact]
    public void A_date_time_made_from_an_offset_date_time_writes_the_same_twelve_bytes()
    {
        var local = new OffsetDateTime(new LocalDateTime(2021, 12, 27, 14, 0, 45), Offset.FromHours(1));

        var stamp = CosemDateTime.From(local, ClockStatus.DoubtfulValue);

        Assert.Equal("07E50C1B010E002D00FFC402", stamp.ToOctets().ToString());
    }

    [Fact]
    public void Unspecified_fields_give_no_instant()
    {
        var stamp = new CosemDateTime(new CosemDate(0xFFFF, 0xFF, 0xFF, 0xFF), new CosemTime(0, 0, 0, 0xFF), CosemDateTime.DeviationNotSpecified, ClockStatus.NotSpecified);
        Assert.Null(stamp.ToOffsetDateTime());
        Assert.Null(new CosemDate(2024, 2, 30, 0xFF).ToLocalDate());
        Assert.Equal(new LocalDate(2024, 2, 29), new CosemDate(2024, 2, 29, 0xFF).ToLocalDate());
    }

    // Hand-worked from the A-XDR length rule (IEC 61334-6 §5): 200 bytes need the long form 0x81 0xC8.
    [Fact]
    public void Long_octet_strings_use_the_long_length_form()
    {
        var value = new OctetString(new Octets(new byte[200]));
        byte[] bytes = value.Encode();

        Assert.Equal("0981C8", Hex.Of(bytes.AsSpan(0, 3)));
        Assert.Equal(203, bytes.Length);
        Assert.Equal(value, DlmsValue.Decode(bytes));
        Assert.Equal("0982012C", Hex.Of(new OctetString(new Octets(new byte[300])).Encode().AsSpan(0, 4)));
    }

    // Hand-worked from the Blue Book's compact-array definition: description structure{long-unsigned, double-long},
    // contents octet-string holding the two elements without tags.
    [Fact]
    public void Compact_array_carries_its_elements_without_tags()
    {
        byte[] bytes = Hex.Bytes("13 02 02 12 05 0C 0001 00000002 0003 FFFFFFFF");

        var array = Assert.IsType<CompactArray>(DlmsValue.Decode(bytes));

        Assert.Equal(new StructureType([new SimpleType(DataTag.LongUnsigned), new SimpleType(DataTag.DoubleLong)]), array.Description);
        Assert.Equal(
            [new DlmsStructure([new LongUnsigned(1), new DoubleLong(2)]), new DlmsStructure([new LongUnsigned(3), new DoubleLong(-1)])],
            array.Elements);
        Assert.Equal(bytes, array.Encode());
    }

    [Fact]
    public void Bit_strings_count_bits_and_pack_them_from_the_top_bit()
    {
        var value = Assert.IsType<DlmsBitString>(DlmsValue.Decode(Hex.Bytes("04 0A 80 40")));
        Assert.Equal(10, value.BitCount);
        Assert.True(value[0]);
        Assert.False(value[1]);
        Assert.True(value[9]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("07 00")]
    [InlineData("09 05 01 02")]
    [InlineData("01 85 00 00 00 00 01")]
    [InlineData("01 81 FF 00")]
    [InlineData("0C 02 C3 28")]
    [InlineData("19 07 E5")]
    [InlineData("13 00 00")]
    [InlineData("13 13 00")]
    [InlineData("11 01 02")]
    [InlineData("13 02 02 01 FFFF 01 FFFF 00 11 01 00")]
    [InlineData("13 01 FFFF 11 02 00 01")]
    public void Malformed_data_is_refused_with_the_protocol_exception(string hex)
    {
        Assert.Throws<DlmsFormatException>(() => DlmsValue.Decode(Hex.Bytes(hex)));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_not_a_stack_overflow()
    {
        var bytes = Enumerable.Repeat(new byte[] { 0x01, 0x01 }, 10_000).SelectMany(b => b).Append((byte)0x00).ToArray();
        Assert.Throws<DlmsFormatException>(() => DlmsValue.Decode(bytes));
    }
}
