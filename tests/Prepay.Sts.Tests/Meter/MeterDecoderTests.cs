using System.Text.Json;
using CsCheck;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Meter;

public sealed class MeterDecoderTests
{
    private static readonly DecoderKey Key = Vectors.Dkga02Key(Vectors.Meter1);

    private static MeterDecoder NewMeter(DecoderKey? key = null, EncryptionAlgorithm ea = EncryptionAlgorithm.Sta, int capacity = MeterState.DefaultTidCapacity) =>
        new(new MeterState { DecoderKey = key ?? Key, Algorithm = ea, BaseDate = BaseDate.Y1993, TidCapacity = capacity, SupplyGroupCode = 123456, TariffIndex = 1 });

    private static string Credit(uint tid, long units, DecoderKey? key = null, EncryptionAlgorithm ea = EncryptionAlgorithm.Sta) =>
        StsTokenIssuer.IssueCreditToken(key ?? Key, ea, BaseDate.Y1993, 0, tid, units, 5);

    [Fact]
    public void Conformance_token_is_accepted_once_and_then_used()
    {
        var meter = NewMeter();
        Assert.Equal(KeypadResult.Accept, meter.Enter("23716100501183194197").Result);
        Assert.Equal(1, meter.State.CreditRegisters[0]);
        Assert.Equal(KeypadResult.Used, meter.Enter("2371-6100-5011-8319-4197").Result);
        Assert.Equal(1, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public void Token_with_bad_crc_is_rejected()
    {
        var meter = NewMeter();
        var entry = meter.Enter("23716100501183194198");
        Assert.Equal(KeypadResult.Reject, entry.Result);
        Assert.Equal(0, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public void Token_for_another_meter_is_rejected()
    {
        // CTSA01 step 2 is for meter 000001000000000082.
        Assert.Equal(KeypadResult.Reject, NewMeter().Enter("67206107716095682372").Result);
    }

    [Fact]
    public void Newer_token_out_of_order_is_accepted_and_older_than_a_full_memory_is_old()
    {
        var meter = NewMeter(capacity: 3);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(100, 1)).Result);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(300, 1)).Result);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(200, 1)).Result); // out of order, newer than the oldest
        Assert.Equal(KeypadResult.Old, meter.Enter(Credit(50, 1)).Result);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(400, 1)).Result); // evicts 100
        Assert.Equal(KeypadResult.Old, meter.Enter(Credit(100, 1)).Result);
        Assert.Equal(KeypadResult.Used, meter.Enter(Credit(300, 1)).Result);
        Assert.Equal([200u, 300u, 400u], meter.State.TidMemory);
        Assert.Equal(4, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public void Token_beyond_key_expiry_is_refused_as_key_expired()
    {
        var meter = new MeterDecoder(NewMeter().State with { KeyExpiryNumber = 10 });
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit((10u << 16) | 0xFFFF, 1)).Result);
        Assert.Equal(KeypadResult.KeyExpired, meter.Enter(Credit(11u << 16, 1)).Result);
    }

    [Fact]
    public void Credit_that_would_overflow_the_register_is_refused_and_not_remembered()
    {
        var meter = new MeterDecoder(NewMeter().State with { CreditRegisterLimit = 1000 });
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(1, 900)).Result);
        Assert.Equal(KeypadResult.Overflow, meter.Enter(Credit(2, 101)).Result);
        Assert.Equal(900, meter.State.CreditRegisters[0]);
        Assert.DoesNotContain(2u, meter.State.TidMemory);
    }

    [Fact]
    public void Management_tokens_apply_and_clear_credit_empties_the_registers()
    {
        var meter = NewMeter();
        meter.Enter(Credit(1, 500));
        var mpl = StsTokenIssuer.IssueManagementToken(Key, EncryptionAlgorithm.Sta, BaseDate.Y1993, ManagementSubclass.SetMaximumPowerLimit, 2, 1000, 5);
        var clear = StsTokenIssuer.IssueManagementToken(Key, EncryptionAlgorithm.Sta, BaseDate.Y1993, ManagementSubclass.ClearCredit, 3, 0xFFFF, 5);
        Assert.Equal(KeypadResult.Accept, meter.Enter(mpl).Result);
        Assert.Equal(KeypadResult.Accept, meter.Enter(clear).Result);
        Assert.Equal((ushort)1000, meter.State.MaximumPowerLimit);
        Assert.Equal(0, meter.State.CreditRegisters[0]);
        Assert.Equal(KeypadResult.Used, meter.Enter(mpl).Result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Key_change_pair_applies_in_either_order(bool reversed)
    {
        var newKey = Vectors.Dkga02Key(Vectors.Meter1, ti: 2, krn: 2);
        var tokens = StsTokenIssuer.IssueKeyChangeTokens(Key, EncryptionAlgorithm.Sta, new KeyChangeRequest(newKey, 0xA5, 2, 2, 2, 123456, false));
        if (reversed)
        {
            Array.Reverse(tokens);
        }

        var meter = NewMeter();
        meter.Enter(Credit(7, 1));
        var first = meter.Enter(tokens[0]);
        Assert.Equal(KeypadResult.Accept, first.Result);
        Assert.False(first.KeyChanged);
        var second = meter.Enter(tokens[1]);
        Assert.True(second.KeyChanged);
        Assert.Equal(newKey, meter.State.DecoderKey);
        Assert.Equal(0xA5, meter.State.KeyExpiryNumber);
        Assert.Equal(2, meter.State.KeyRevisionNumber);
        Assert.Equal(2, meter.State.TariffIndex);
        Assert.Equal([7u], meter.State.TidMemory);

        // Old-key tokens no longer decode, new-key tokens do; replaying the key change set fails.
        Assert.Equal(KeypadResult.Reject, meter.Enter(Credit(8, 1)).Result);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(8, 1, newKey)).Result);
        Assert.Equal(KeypadResult.Reject, meter.Enter(tokens[0]).Result);
    }

    [Fact]
    public void Rollover_key_change_moves_a_128_bit_meter_to_base_date_2014_and_clears_tids()
    {
        var current = Vectors.Dkga04Key(Vectors.Meter1, BaseDate.Y1993);
        var newKey = Vectors.Dkga04Key(Vectors.Meter1, BaseDate.Y2014, ti: 2, krn: 4);
        var tokens = StsTokenIssuer.IssueKeyChangeTokens(current, EncryptionAlgorithm.Misty1, new KeyChangeRequest(newKey, 255, 4, 2, 2, 123457, true));
        var meter = NewMeter(current, EncryptionAlgorithm.Misty1);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(TokenIdentifier.MaxMinutes - 5, 10, current, EncryptionAlgorithm.Misty1)).Result);
        foreach (int i in new[] { 3, 0, 2, 1 })
        {
            Assert.Equal(KeypadResult.Accept, meter.Enter(tokens[i]).Result);
        }

        Assert.Equal(newKey, meter.State.DecoderKey);
        Assert.Equal(BaseDate.Y2014, meter.State.BaseDate);
        Assert.Equal(123457, meter.State.SupplyGroupCode);
        Assert.Empty(meter.State.TidMemory);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Credit(5, 10, newKey, EncryptionAlgorithm.Misty1)).Result);
        Assert.Equal(20, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public void Meter_state_survives_a_json_round_trip()
    {
        var meter = NewMeter();
        meter.Enter(Credit(10, 123));
        var tokens = StsTokenIssuer.IssueKeyChangeTokens(Key, EncryptionAlgorithm.Sta, new KeyChangeRequest(Vectors.Dkga02Key(Vectors.Meter1, ti: 3), 255, 1, 2, 3, 123456, false));
        meter.Enter(tokens[0]);

        string json = JsonSerializer.Serialize(meter.State);
        var restored = new MeterDecoder(JsonSerializer.Deserialize<MeterState>(json)!);
        Assert.Equal(meter.State.DecoderKey, restored.State.DecoderKey);
        Assert.Equal(meter.State.TidMemory, restored.State.TidMemory);
        Assert.Equal(meter.State.CreditRegisters, restored.State.CreditRegisters);
        Assert.Equal(meter.State.PendingKeyChange, restored.State.PendingKeyChange);
        Assert.Equal(KeypadResult.Used, restored.Enter(Credit(10, 123)).Result);
        Assert.True(restored.Enter(tokens[1]).KeyChanged);
    }

    [Fact]
    public void Tokens_in_any_order_with_duplicates_are_credited_exactly_once()
    {
        var gen = Gen.Select(Gen.UInt[0, 5000].Array[1, 40], Gen.Int[1, 60], Gen.Int[1, 8], Gen.Int[0, 1000].Array[80]);
        gen.Sample(t =>
        {
            var (tids, units, capacity, picks) = t;
            var meter = NewMeter(capacity: capacity);
            var tokens = tids.Distinct().Select(tid => (Tid: tid, Digits: Credit(tid, units))).ToArray();
            var accepted = new HashSet<uint>();
            var model = new SortedSet<uint>();
            foreach (int pick in picks)
            {
                var (tid, digits) = tokens[pick % tokens.Length];
                // Model of IEC 62055-41 TID rules: remembered -> Used; memory full and older than its oldest -> Old.
                var expected = model.Contains(tid) ? KeypadResult.Used
                    : model.Count >= capacity && tid < model.Min ? KeypadResult.Old
                    : KeypadResult.Accept;
                var result = meter.Enter(digits).Result;
                Assert.Equal(expected, result);
                if (result == KeypadResult.Accept)
                {
                    Assert.True(accepted.Add(tid), $"TID {tid} credited twice");
                    model.Add(tid);
                    if (model.Count > capacity)
                    {
                        model.Remove(model.Min);
                    }
                }
            }

            Assert.Equal(accepted.Count * (long)units, meter.State.CreditRegisters[0]);
        }, iter: 200);
    }

    [Fact]
    public void Random_digits_and_random_keys_never_throw()
    {
        var text = Gen.Char["0123456789- x"].Array[0, 26].Select(c => new string(c));
        Gen.Select(text, Gen.ULong, Gen.ULong, Gen.Bool).Sample(t =>
        {
            var ea = t.Item4 ? EncryptionAlgorithm.Misty1 : EncryptionAlgorithm.Sta;
            var key = t.Item4 ? DecoderKey.From128(t.Item2, t.Item3) : DecoderKey.From64(t.Item2);
            var meter = NewMeter(key, ea);
            var entry = meter.Enter(t.Item1);
            Assert.True(Enum.IsDefined(entry.Result));
        }, iter: 2000);

        Gen.Select(Gen.ULong, Gen.Int[0, 3], Gen.ULong).Sample(t =>
        {
            var digits = TokenNumber.FromValue(new UInt128((ulong)t.Item2, t.Item1)).ToString();
            var entry = NewMeter(DecoderKey.From64(t.Item3)).Enter(digits);
            Assert.True(Enum.IsDefined(entry.Result));
        }, iter: 2000);
    }
}
