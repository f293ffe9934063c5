using CsCheck;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Tests.Axdr;

public sealed class AxdrRoundTripProperties
{
    [Fact]
    public void Every_value_decodes_to_itself_after_encoding()
    {
        Generators.Value.Sample(value =>
        {
            byte[] bytes = value.Encode();
            Assert.Equal(value, DlmsValue.Decode(bytes));
            Assert.Equal((byte)value.Tag, bytes[0]);
        }, iter: 5_000);
    }

    [Fact]
    public void Every_simple_type_round_trips_over_its_whole_range()
    {
        Generators.Simple.Sample(value => Assert.Equal(value, DlmsValue.Decode(value.Encode())), iter: 20_000);
    }

    [Fact]
    public void Compact_arrays_round_trip()
    {
        Generators.CompactArray.Sample(value => Assert.Equal(value, DlmsValue.Decode(value.Encode())), iter: 3_000);
    }

    [Fact]
    public void Date_times_round_trip_through_their_twelve_bytes()
    {
        Generators.DateTime.Sample(value => Assert.Equal(value, CosemDateTime.FromOctets(value.ToOctets().Span)));
    }

    [Fact]
    public void Any_whole_minute_offset_date_time_maps_to_a_stamp_and_back()
    {
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 86_399], Gen.Int[0, 99], Gen.Int[-720, 720]).Sample(t =>
        {
            var local = new NodaTime.LocalDate(t.Item1, t.Item2, t.Item3).At(NodaTime.LocalTime.FromSecondsSinceMidnight(t.Item4).PlusMilliseconds(t.Item5 * 10));
            var value = new NodaTime.OffsetDateTime(local, NodaTime.Offset.FromSeconds(t.Item6 * 60));
            Assert.Equal(value, CosemDateTime.From(value).ToOffsetDateTime());
        });
    }
}
