using CsCheck;
using NodaTime;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Tests.Axdr;

/// <summary>
/// <see cref="ProfileRowReader"/> against the tree decoder: every cell read gives what the decoded tree's cell gives,
/// and hostile bytes raise only <see cref="DlmsFormatException"/>.
/// </summary>
public sealed class ProfileRowReaderTests
{
    // Stamps that name an instant most of the time (and the odd unspecified field), as meters send them.
    private static readonly Gen<CosemDateTime> PlausibleStamp =
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], Gen.Int[1, 31], Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 59],
                Gen.Frequency((4, Gen.Int[0, 99]), (1, Gen.Const(0xFF))), Gen.Frequency((4, Gen.Int[-720, 720]), (1, Gen.Const(-32768))))
            .Select(t => new CosemDateTime(new CosemDate((ushort)t.Item1, (byte)t.Item2, (byte)t.Item3, 0xFF),
                new CosemTime((byte)t.Item4, (byte)t.Item5, (byte)t.Item6, (byte)t.Item7), (short)t.Item8, ClockStatus.Ok));

    private static readonly Gen<CosemDateTime> AnyStamp = Gen.Frequency((3, PlausibleStamp), (1, Generators.DateTime));

    private static readonly Gen<DlmsValue> Cell = Gen.Frequency(
        (3, AnyStamp.Select(s => (DlmsValue)new OctetString(s.ToOctets()))),
        (2, AnyStamp.Select(s => (DlmsValue)new DlmsDateTime(s))),
        (1, Generators.Octets.Select(o => (DlmsValue)new OctetString(o))),
        (3, Generators.Simple),
        (1, Generators.Value));

    private static readonly Gen<DlmsArray> Profile =
        Cell.Array[0, 5].Select(cells => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(cells))).Array[0, 12]
            .Select(rows => new DlmsArray(new ValueList<DlmsValue>(rows)));

    [Fact]
    public void Every_cell_reads_as_the_tree_decoder_gives_it()
    {
        Gen.Select(Profile, Gen.Int[0, 3].Array[60]).Sample(t =>
        {
            var (profile, readers) = t;
            var tree = (DlmsArray)DlmsValue.Decode(profile.Encode());
            var rows = new ProfileRowReader(profile.Encode());
            Assert.Equal(tree.Items.Count, rows.RowCount);
            int pick = 0;
            foreach (var row in tree.Items)
            {
                Assert.True(rows.MoveNextRow());
                var cells = ((DlmsStructure)row).Fields;
                Assert.Equal(cells.Count, rows.CellsLeft);
                foreach (var cell in cells)
                {
                    // Each row read partly: cells left unread are skipped by the next MoveNextRow.
                    switch (readers[pick++ % readers.Length])
                    {
                        case 0: Assert.Equal(InstantOf(cell), rows.ReadInstant()); break;
                        case 1: Assert.Equal(UnsignedOf(cell), rows.ReadUnsigned()); break;
                        case 2: Assert.Equal(cell, rows.ReadValue()); break;
                        default: goto NextRow;
                    }
                }
            NextRow:;
            }
            Assert.False(rows.MoveNextRow());
        }, iter: 2_000);
    }

    [Fact]
    public void A_day_of_load_profile_reads_as_capture_times_and_energy()
    {
        var start = Instant.FromUtc(2026, 3, 1, 0, 0);
        var profile = new DlmsArray(new ValueList<DlmsValue>(Enumerable.Range(0, 96).Select(i => (DlmsValue)new DlmsStructure(
        [
            new OctetString(CosemDateTime.From((start + Duration.FromMinutes(15 * i)).InZone(DateTimeZoneProviders.Tzdb["Europe/Vienna"]).ToOffsetDateTime()).ToOctets()),
            new DoubleLongUnsigned(1_250_000u + (uint)(i * 173)),
        ]))));
        var apdu = new GetResponseNormal(InvokeIdAndPriority.Create(1), new GetDataValue(profile)).Encode();

        Assert.True(GetResponseNormal.TryGetData(apdu, out var data, out _));
        var rows = new ProfileRowReader(data);
        var read = new List<(Instant, ulong)>();
        while (rows.MoveNextRow())
        {
            read.Add((rows.ReadInstant()!.Value, rows.ReadUnsigned()!.Value));
        }

        Assert.Equal(Enumerable.Range(0, 96).Select(i => (start + Duration.FromMinutes(15 * i), 1_250_000UL + (ulong)(i * 173))), read);
    }

    [Fact]
    public void A_failed_get_gives_its_data_access_result_and_no_data()
    {
        var apdu = new GetResponseNormal(InvokeIdAndPriority.Create(3), new GetDataFailure(DataAccessResult.ReadWriteDenied)).Encode();

        Assert.False(GetResponseNormal.TryGetData(apdu, out var data, out var failure));
        Assert.Equal(DataAccessResult.ReadWriteDenied, failure);
        Assert.True(data.IsEmpty);
        Assert.Throws<DlmsFormatException>(() => GetResponseNormal.TryGetData(Hex.Bytes("C0010000080000010000FF0200"), out _, out _));
    }

    [Fact]
    public void A_stamps_instant_is_the_one_its_offset_date_time_names()
    {
        AnyStamp.Sample(stamp => Assert.Equal(Named(stamp), stamp.ToInstant()), iter: 100_000);
        // The edges: leap days, the first and last representable days, the widest deviations, hundredths unspecified.
        foreach (var (date, deviation) in new[]
        {
            (new CosemDate(2024, 2, 29, 0xFF), (short)0), (new CosemDate(2023, 2, 29, 0xFF), (short)0), (new CosemDate(1900, 2, 29, 0xFF), (short)0),
            (new CosemDate(2000, 2, 29, 0xFF), (short)-720), (new CosemDate(1, 1, 1, 0xFF), (short)720), (new CosemDate(9999, 12, 31, 0xFF), (short)-720),
            (new CosemDate(1969, 12, 31, 0xFF), (short)60), (new CosemDate(2026, 4, 31, 0xFF), (short)0), (new CosemDate(0, 1, 1, 0xFF), (short)0),
            (new CosemDate(9999, 12, 31, 0xFF), (short)720), // UTC in year 10000: no instant
        })
        {
            var stamp = new CosemDateTime(date, new CosemTime(23, 59, 59, 0xFF), deviation, ClockStatus.Ok);
            Assert.Equal(Named(stamp), stamp.ToInstant());
        }
        Assert.Null(new CosemDateTime(new CosemDate(9999, 12, 31, 0xFF), new CosemTime(21, 8, 32, 0xFF), 550, ClockStatus.Ok).ToInstant());
    }

    // The instant the stamp's offset date-time names, or none when it names none NodaTime can hold.
    private static Instant? Named(CosemDateTime stamp)
    {
        try
        {
            return stamp.ToOffsetDateTime()?.ToInstant();
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [Fact]
    public void Random_and_mutated_profiles_raise_only_format_errors()
    {
        var seeds = Profile.Array[20].Single().Select(p => p.Encode()).ToArray();
        Gen.Select(Gen.Frequency((3, FuzzTests.Mutations(seeds)), (1, FuzzTests.RandomBytes)), Gen.Int[0, 3].Array[8])
            .Sample(t => FuzzTests.OnlyFormatErrors(() => Walk(t.Item1, t.Item2)), iter: 50_000);
    }

    private static void Walk(byte[] bytes, int[] readers)
    {
        var rows = new ProfileRowReader(bytes);
        int pick = 0;
        while (rows.MoveNextRow())
        {
            // Reads past a row's last cell too: a short row is the input's fault and must be a format error.
            for (int i = 0; i < 3; i++)
            {
                switch (readers[pick++ % readers.Length])
                {
                    case 0: rows.ReadInstant(); break;
                    case 1: rows.ReadUnsigned(); break;
                    case 2: rows.ReadValue(); break;
                    default: rows.SkipCell(); break;
                }
            }
        }
    }

    private static Instant? InstantOf(DlmsValue cell) => cell switch
    {
        OctetString { Value.Length: CosemDateTime.Size } o => CosemDateTime.FromOctets(o.Value.Span).ToOffsetDateTime()?.ToInstant(),
        DlmsDateTime d => d.Value.ToOffsetDateTime()?.ToInstant(),
        _ => null,
    };

    private static ulong? UnsignedOf(DlmsValue cell) => cell switch
    {
        Unsigned v => v.Value,
        LongUnsigned v => v.Value,
        DoubleLongUnsigned v => v.Value,
        Long64Unsigned v => v.Value,
        Integer { Value: >= 0 } v => (ulong)v.Value,
        Long { Value: >= 0 } v => (ulong)v.Value,
        DoubleLong { Value: >= 0 } v => (ulong)v.Value,
        Long64 { Value: >= 0 } v => (ulong)v.Value,
        _ => null,
    };
}
