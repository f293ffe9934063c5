using Prepay.Dlms.Security;

namespace Prepay.Dlms.Tests.Security;

public sealed class PersistedCounterTests : IDisposable
{
    private static readonly Octets A = Octets.FromHex("0102030405060708");
    private static readonly Octets B = Octets.FromHex("0807060504030201");
    private readonly string _directory = Directory.CreateTempSubdirectory("dlms-counters-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void A_block_counter_flushes_once_per_block_and_after_a_crash_skips_what_was_reserved()
    {
        var counter = new FileInvocationCounter(PathOf("ic"), reserveAhead: 10);
        Assert.Equal(1u, counter.Reserve());
        Assert.Equal("11", File.ReadAllText(PathOf("ic"))); // 1..10 covered by one flush, before 1 went out
        for (uint expected = 2; expected <= 10; expected++)
        {
            Assert.Equal(expected, counter.Reserve());
        }
        Assert.Equal("11", File.ReadAllText(PathOf("ic")));
        Assert.Equal(11u, counter.Reserve());
        Assert.Equal("21", File.ReadAllText(PathOf("ic")));
        Assert.Equal(12u, counter.Reserve());

        // A crash now (nothing more written): the next process starts at the ceiling, above every value used.
        var afterCrash = new FileInvocationCounter(PathOf("ic"), reserveAhead: 10);
        Assert.Equal(21u, afterCrash.Reserve());
    }

    [Fact]
    public void A_counter_moves_forward_to_resynchronise_and_never_back()
    {
        var counter = new FileInvocationCounter(PathOf("ic"));
        Assert.Equal(1u, counter.Reserve());
        Assert.False(counter.AdvanceTo(2));
        Assert.True(counter.AdvanceTo(50));
        Assert.Equal(50u, counter.Reserve());
        Assert.False(counter.AdvanceTo(40));
        Assert.Equal(51u, new FileInvocationCounter(PathOf("ic")).Reserve());

        var memory = new MemoryInvocationCounter();
        Assert.True(memory.AdvanceTo(7));
        Assert.Equal(7u, memory.Reserve());
    }

    [Fact]
    public void Received_counters_survive_a_restart_exactly_with_blocks_of_one()
    {
        var store = new FileReceivedCounters(PathOf("rc"));
        Assert.True(store.TryAccept(A, 5));
        Assert.True(store.TryAccept(B, 1));
        Assert.True(store.TryAccept(A, 6));

        var restarted = new FileReceivedCounters(PathOf("rc"));
        Assert.False(restarted.TryAccept(A, 6));
        Assert.False(restarted.TryAccept(B, 1));
        Assert.True(restarted.TryAccept(A, 7));
        Assert.Equal(7u, restarted.HighestAccepted());
    }

    [Fact]
    public void After_a_crash_a_block_store_refuses_every_counter_it_accepted_and_the_reserved_rest_until_a_resynchronisation()
    {
        var store = new FileReceivedCounters(PathOf("rc"), reserveAhead: 16);
        for (uint c = 1; c <= 20; c++)
        {
            Assert.True(store.TryAccept(A, c));
        }
        // Ceiling written at 1 (→16) and at 17 (→32): two flushes for twenty APDUs.
        Assert.Equal($"{A} 32\n", File.ReadAllText(PathOf("rc")));

        var afterCrash = new FileReceivedCounters(PathOf("rc"), reserveAhead: 16);
        for (uint c = 1; c <= 32; c++)
        {
            Assert.False(afterCrash.TryAccept(A, c));
        }
        Assert.Equal(32u, afterCrash.HighestAccepted()); // what 0.0.43.1.0.255 reports, plus one
        Assert.True(afterCrash.TryAccept(A, 33));
    }

    [Fact]
    public void A_checkpoint_on_an_orderly_stop_keeps_the_exact_counters()
    {
        var store = new FileReceivedCounters(PathOf("rc"), reserveAhead: 16);
        Assert.True(store.TryAccept(A, 3));
        store.Checkpoint();
        var restarted = new FileReceivedCounters(PathOf("rc"), reserveAhead: 16);
        Assert.False(restarted.TryAccept(A, 3));
        Assert.True(restarted.TryAccept(A, 4));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
