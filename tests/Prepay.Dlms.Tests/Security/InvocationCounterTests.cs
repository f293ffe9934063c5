using Prepay.Dlms.Security;

namespace Prepay.Dlms.Tests.Security;

public sealed class InvocationCounterTests
{
    [Fact]
    public void A_file_counter_continues_after_a_restart_and_never_hands_out_a_value_twice()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dlms-ic-{Guid.NewGuid():N}");
        try
        {
            var first = new FileInvocationCounter(path);
            Assert.Equal(1u, first.Reserve());
            Assert.Equal(2u, first.Reserve());
            Assert.Equal("3", File.ReadAllText(path)); // the next free value is on disk before 2 is used

            var afterRestart = new FileInvocationCounter(path);
            Assert.Equal(3u, afterRestart.Reserve());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Received_counters_refuse_values_not_above_the_last_per_peer()
    {
        var store = new MemoryReceivedCounters();
        var a = Octets.FromHex("0102030405060708");
        var b = Octets.FromHex("0807060504030201");

        Assert.True(store.TryAccept(a, 5));
        Assert.False(store.TryAccept(a, 5));
        Assert.False(store.TryAccept(a, 4));
        Assert.True(store.TryAccept(b, 1));
        Assert.True(store.TryAccept(a, 6));
        Assert.Equal(6u, store.LastAccepted(a));
    }
}
