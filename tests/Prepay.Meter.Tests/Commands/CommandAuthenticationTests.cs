using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Json;
using Prepay.Meter.Snapshots;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Commands;

/// <summary>
/// The meter believes a remote command only when it is signed with its own key, newer than the last it accepted
/// and not expired (docs/mqtt.md, Signed commands). The signed bytes here stand for the protocol's canonical bytes,
/// which the transport rebuilds; the meter's part is the MAC, the sequence and the clock.
/// </summary>
public sealed class CommandAuthenticationTests
{
    private static readonly byte[] MeterKey = SHA256.HashData(Encoding.UTF8.GetBytes("meter 04000000001's command key"));

    private static PrepaidMeter Meter(ReadOnlyMemory<byte>? key = null) =>
        new(Configuration(creditWh: 1_000) with { CommandKey = key ?? MeterKey });

    private static readonly Instant Later = MondayEvening + Duration.FromDays(1);

    private static SealedCommand Signed(long seq, Instant? expiresAt = null, byte[]? key = null, string body = "addCredit 500")
    {
        var bytes = Encoding.UTF8.GetBytes($"{body} seq {seq} expires {expiresAt ?? Later}");
        return new SealedCommand(bytes, HMACSHA256.HashData(key ?? MeterKey, bytes), seq, expiresAt ?? Later);
    }

    [Fact]
    public void A_command_signed_with_the_meters_key_and_a_new_sequence_number_is_accepted()
    {
        var meter = Meter();
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(1)));
        Assert.Equal(1, meter.LastCommandSeq);
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(7)));
        Assert.Equal(7, meter.LastCommandSeq);
    }

    [Fact]
    public void An_unsigned_command_is_refused_and_changes_nothing()
    {
        var meter = Meter();
        var unsigned = Signed(1) with { Mac = ReadOnlyMemory<byte>.Empty };
        Assert.Equal(CommandVerdict.Unsigned, meter.Authenticate(unsigned));
        Assert.Equal(0, meter.LastCommandSeq);
    }

    [Fact]
    public void A_command_signed_with_another_key_is_refused_as_forged()
    {
        var meter = Meter();
        var otherMetersKey = SHA256.HashData(Encoding.UTF8.GetBytes("meter 04000000002's command key"));
        Assert.Equal(CommandVerdict.Forged, meter.Authenticate(Signed(5, key: otherMetersKey)));
        Assert.Equal(0, meter.LastCommandSeq);
    }

    [Fact]
    public void Changing_any_signed_byte_or_the_mac_makes_a_genuine_command_forged()
    {
        var meter = Meter();
        var genuine = Signed(3);
        for (var i = 0; i < genuine.SignedBytes.Length; i++)
        {
            var bytes = genuine.SignedBytes.ToArray();
            bytes[i] ^= 0x01;
            Assert.Equal(CommandVerdict.Forged, meter.Authenticate(genuine with { SignedBytes = bytes }));
        }
        for (var i = 0; i < genuine.Mac.Length; i++)
        {
            var mac = genuine.Mac.ToArray();
            mac[i] ^= 0x80;
            Assert.Equal(CommandVerdict.Forged, meter.Authenticate(genuine with { Mac = mac }));
        }
        Assert.Equal(CommandVerdict.Forged, meter.Authenticate(genuine with { Mac = genuine.Mac[..16] }));
        Assert.Equal(0, meter.LastCommandSeq);
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(genuine));
    }

    [Fact]
    public void A_meter_without_a_key_refuses_every_command_as_forged()
    {
        var meter = Meter(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(CommandVerdict.Forged, meter.Authenticate(Signed(1)));
    }

    [Fact]
    public void A_replayed_or_older_command_is_refused_and_the_same_one_again_is_a_repeat()
    {
        var meter = Meter();
        var first = Signed(4);
        var second = Signed(5, body: "disconnect");
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(first));
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(second));

        Assert.Equal(CommandVerdict.Replayed, meter.Authenticate(first));
        Assert.Equal(CommandVerdict.Replayed, meter.Authenticate(Signed(2)));
        Assert.Equal(CommandVerdict.Repeat, meter.Authenticate(second));
        Assert.Equal(5, meter.LastCommandSeq);
    }

    [Fact]
    public void Out_of_order_the_later_command_wins_and_the_earlier_one_is_refused()
    {
        var meter = Meter();
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(2)));
        Assert.Equal(CommandVerdict.Replayed, meter.Authenticate(Signed(1)));
        Assert.Equal(2, meter.LastCommandSeq);
    }

    [Fact]
    public void An_expired_command_is_refused_and_does_not_use_up_its_sequence_number()
    {
        var meter = Meter();
        Assert.Equal(CommandVerdict.Expired, meter.Authenticate(Signed(1, expiresAt: MondayEvening)));
        Assert.Equal(CommandVerdict.Expired, meter.Authenticate(Signed(1, expiresAt: MondayEvening - Duration.FromMinutes(1))));
        Assert.Equal(0, meter.LastCommandSeq);
        meter.Tick(Duration.FromDays(1));
        Assert.Equal(CommandVerdict.Expired, meter.Authenticate(Signed(2)));
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(3, expiresAt: Later + Duration.FromSeconds(1))));
    }

    [Fact]
    public void During_a_power_outage_the_meter_hears_nothing_and_remembers_nothing()
    {
        var meter = Meter();
        meter.CutPower();
        Assert.Equal(CommandVerdict.Unheard, meter.Authenticate(Signed(1)));
        meter.RestorePower();
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(1)));
    }

    [Fact]
    public void The_last_accepted_sequence_number_and_the_key_survive_a_snapshot()
    {
        var meter = Meter();
        Assert.Equal(CommandVerdict.Fresh, meter.Authenticate(Signed(9)));
        var json = JsonSerializer.Serialize(meter.Snapshot(), MeterJson.Options);
        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(json, MeterJson.Options)!);
        Assert.Equal(9, restored.LastCommandSeq);
        Assert.Equal(CommandVerdict.Replayed, restored.Authenticate(Signed(8)));
        Assert.Equal(CommandVerdict.Fresh, restored.Authenticate(Signed(10)));
    }
}
