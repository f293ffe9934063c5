using NodaTime;
using NodaTime.Testing;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Prepay.Testing;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Tests.Tokens;

using Meter = Prepay.Domain.Metering.Meter; // not the namespace Prepay.Meter

/// <summary>The token generator alone, without a server: both key generation algorithms, refusals, concurrency, secrecy.</summary>
public sealed class StsTokenGeneratorTests
{
    // TEST keys only: a 64-bit (DKGA-02) and a 160-bit (DKGA-04) vending key no supply group uses.
    private const string Key64 = ServerFixture.TestVendingKeyHex;
    private const string Key160 = "00112233445566778899aabbccddeeff01234567";

    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 11, 23, 8, 0));

    private static StsTokenGenerator Generator(string hex) => new(VendingKey.ParseHex(hex), new StsOptions(), Clock);

    private static Meter TokenMeter(string number, StsEncryptionAlgorithm ea = StsEncryptionAlgorithm.Sta, StsBaseDate baseDate = StsBaseDate.Y2014, int krn = 1) => new()
    {
        MeterNumber = number,
        Currency = "ZAR",
        Mode = MeterMode.Token,
        ResolutionWh = 100,
        SupplyGroupCode = 600123,
        KeyRevisionNumber = krn,
        TariffIndex = 7,
        KeyType = 2,
        EncryptionAlgorithm = ea,
        BaseDate = baseDate,
    };

    private static MeterDecoder Decoder(DecoderKey key, Meter meter) => new(new MeterState
    {
        DecoderKey = key,
        Algorithm = (EncryptionAlgorithm)(int)meter.EncryptionAlgorithm,
        BaseDate = (BaseDate)(int)meter.BaseDate,
        KeyRevisionNumber = meter.KeyRevisionNumber,
        KeyType = meter.KeyType,
        TariffIndex = meter.TariffIndex,
        SupplyGroupCode = meter.SupplyGroupCode,
    });

    // IEC 62055-41 MeterPAN: IIN 600727 with an 11-digit decoder reference number, 0000 with a 13-digit one (18 digits).
    private static KeyDerivationInput Input(Meter meter, int krn) =>
        KeyDerivationInput.Create(meter.SupplyGroupCode, meter.TariffIndex, krn, meter.KeyType,
            PrimaryAccountNumber.Create(meter.MeterNumber.Length == 13 ? "0000" : "600727", meter.MeterNumber));

    [Fact]
    public void A_160_bit_vending_key_makes_EA11_credit_tokens_a_meter_with_the_DKGA04_key_accepts()
    {
        var meter = TokenMeter("0123456789012", StsEncryptionAlgorithm.Misty1);
        var generator = Generator(Key160);
        var key = new Dkga04(VendingKey.ParseHex(Key160)).Derive(Input(meter, 1), BaseDate.Y2014, EncryptionAlgorithm.Misty1);
        var tid = generator.TokenIdAt(meter, Clock.GetCurrentInstant());

        var token = generator.CreditToken(meter, tid, new Energy(12_300));

        Assert.Equal(128, key.Bits);
        Assert.Equal(key, generator.DecoderKeyOf(meter));
        var entry = Decoder(key, meter).Enter(token);
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.Equal(123, entry.Data!.Value.Amount.Units);
        Assert.Equal(tid, (long)entry.Data.Value.Tid);
    }

    [Fact]
    public void An_EA11_key_change_is_four_tokens_that_move_the_meter_to_the_new_key()
    {
        var meter = TokenMeter("0123456789012", StsEncryptionAlgorithm.Misty1);
        var generator = Generator(Key160);
        var decoder = Decoder(generator.DecoderKeyOf(meter), meter);

        var tokens = generator.KeyChangeTokens(meter, KeyTarget.For(meter, 2, StsBaseDate.Y2014));

        Assert.Equal(4, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(KeypadResult.Accept, decoder.Enter(t).Result));
        var moved = TokenMeter("0123456789012", StsEncryptionAlgorithm.Misty1, krn: 2);
        Assert.Equal(generator.DecoderKeyOf(moved), decoder.State.DecoderKey);
        Assert.Equal(2, decoder.State.KeyRevisionNumber);
        Assert.Equal(KeypadResult.Accept, decoder.Enter(generator.CreditToken(moved, 1_000, new Energy(500))).Result);
    }

    [Fact]
    public void A_64_bit_vending_key_makes_DKGA02_keys()
    {
        var meter = TokenMeter("04000000001");
        using var dkga02 = new Dkga02(VendingKey.ParseHex(Key64));

        Assert.Equal(dkga02.Derive(Input(meter, 1)), Generator(Key64).DecoderKeyOf(meter));
        Assert.Equal("DKGA-02", Generator(Key64).Algorithm);
        Assert.Equal("DKGA-04", Generator(Key160).Algorithm);
    }

    [Fact]
    public void Meters_it_cannot_serve_are_named_with_the_reason()
    {
        var generator = Generator(Key64);

        Assert.Null(generator.CannotIssueFor(TokenMeter("04000000001")));
        Assert.Contains("11 or 13 digits", generator.CannotIssueFor(TokenMeter("MTR-0001")), StringComparison.Ordinal);
        Assert.Contains("160-bit", generator.CannotIssueFor(TokenMeter("04000000001", StsEncryptionAlgorithm.Misty1)), StringComparison.Ordinal);
        Assert.Contains("2035", generator.CannotIssueFor(TokenMeter("04000000001", baseDate: StsBaseDate.Y2035)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_13_digit_meter_number_is_keyed_with_IIN_0000_and_an_11_digit_one_with_600727()
    {
        // IEC 62055-41 MeterPAN: 18 digits, so the IIN follows the decoder reference number's length.
        using var dkga02 = new Dkga02(VendingKey.ParseHex(Key64));
        foreach (var (number, iin) in new[] { ("0123456789012", "0000"), ("04000000001", "600727") })
        {
            var meter = TokenMeter(number);
            var expected = dkga02.Derive(KeyDerivationInput.Create(meter.SupplyGroupCode, meter.TariffIndex, 1, meter.KeyType, PrimaryAccountNumber.Create(iin, number)));
            Assert.Equal(expected, Generator(Key64).DecoderKeyOf(meter));
        }
        // Before the IIN followed the number, a 13-digit number was keyed under 600727 ‖ IAIN, whose rightmost 16
        // digits (the PAN block, §6.1.3) are 727 ‖ IAIN: the same block as IIN 0727. A key no meter holds.
        var wrong = dkga02.Derive(KeyDerivationInput.Create(600123, 7, 1, 2, PrimaryAccountNumber.Create("0727", "0123456789012")));
        Assert.NotEqual(wrong, Generator(Key64).DecoderKeyOf(TokenMeter("0123456789012")));
    }

    [Fact]
    public void An_IIN_override_that_cannot_make_an_18_digit_PAN_with_a_meters_number_is_refused_with_the_reason()
    {
        var generator = new StsTokenGenerator(VendingKey.ParseHex(Key64), new StsOptions { Iin = "600727" }, Clock);

        Assert.Null(generator.CannotIssueFor(TokenMeter("04000000001")));
        var refusal = generator.CannotIssueFor(TokenMeter("0123456789012"));
        Assert.NotNull(refusal);
        Assert.Contains("Sts:Iin", refusal, StringComparison.Ordinal);
        Assert.Contains("18", refusal, StringComparison.Ordinal);
        Assert.Equal("Sts:Iin must have 4 or 6 digits (or be left unset: it then follows from each meter's number)", new StsOptions { Iin = "12345" }.Validate());
        Assert.Null(new StsOptions().Validate());
    }

    [Theory]
    [InlineData(150)] // not whole 0.1 kWh
    [InlineData(1_638_500)] // 16 385 units: above 16 383 the steps are 10 units
    public void Credit_with_no_exact_STS_amount_is_refused(long wattHours)
    {
        var meter = TokenMeter("04000000001");
        Assert.Throws<UnrepresentableCreditException>(() => Generator(Key64).CreditToken(meter, 5, new Energy(wattHours)));
    }

    [Fact]
    public async Task Tokens_made_on_many_threads_at_once_all_decode_with_their_meters_keys()
    {
        var generator = Generator(Key64);
        var meters = Enumerable.Range(1, 40).Select(i => TokenMeter("0400" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var made = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            (Meter: meters[i % meters.Length], Tid: 100 + i, Token: generator.CreditToken(meters[i % meters.Length], 100 + i, new Energy(100 * (i + 1)))), TestContext.Current.CancellationToken)));

        using var dkga02 = new Dkga02(VendingKey.ParseHex(Key64));
        foreach (var (meter, tid, token) in made)
        {
            var entry = Decoder(dkga02.Derive(Input(meter, 1)), meter).Enter(token);
            Assert.Equal(KeypadResult.Accept, entry.Result);
            Assert.Equal((uint)tid, entry.Data!.Value.Tid);
        }
    }

    [Fact]
    public void The_vending_key_never_appears_in_options_errors_or_key_text()
    {
        var options = new StsOptions { VendingKeyHex = Key64, KeyStoreFile = "/x" };
        Assert.NotNull(options.Validate());
        Assert.DoesNotContain(Key64, options.Validate()!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key64, options.Source, StringComparison.OrdinalIgnoreCase);

        var bad = new StsOptions { VendingKeyHex = "0123456789abcdeg" };
        var error = Assert.Throws<InvalidOperationException>(() => bad.LoadVendingKey());
        Assert.DoesNotContain("0123456789abcdeg", error.Message, StringComparison.OrdinalIgnoreCase);

        var key = new StsOptions { VendingKeyHex = Key64 }.LoadVendingKey()!;
        Assert.DoesNotContain(Key64, key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(new StsOptions().LoadVendingKey());
    }

    [Fact]
    public void A_demo_key_store_file_is_made_once_readable_by_its_owner_only()
    {
        var dir = Path.Combine(Path.GetTempPath(), "prepay-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var path = DemoVendingKey.EnsureKeyStoreFile(dir);
            var first = File.ReadAllText(path);

            Assert.Equal(path, DemoVendingKey.EnsureKeyStoreFile(dir));
            Assert.Equal(first, File.ReadAllText(path));
            Assert.Equal(64, VendingKeyLoader.FromKeyStoreFile(path, DemoVendingKey.KeyName).Bits);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
