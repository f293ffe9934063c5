using System.Globalization;
using Prepay.HeadEnd.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>The head-end's invocation counters: persisted before use, a block ahead, never reused after a crash.</summary>
public sealed class DlmsCounterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prepay-dlms-block-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Every_value_handed_out_is_below_what_the_file_holds_and_a_restart_never_repeats_one()
    {
        string path = Path.Combine(_directory, "meter.ic");
        var used = new List<uint>();
        for (int life = 0; life < 5; life++)
        {
            // Each life ends as a crash would: the instance is dropped with part of its block unspent.
            var counter = new ReservedBlockInvocationCounter(path, blockSize: 8);
            for (int i = 0; i < 3 + life * 5; i++)
            {
                uint value = counter.Reserve();
                used.Add(value);
                Assert.True(uint.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture) > value, "the file is ahead of every value used");
            }
        }
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.Equal(used.Order(), used);
        Assert.Equal(1u, used[0]);
    }

    [Fact]
    public void A_block_of_one_flushes_every_value_and_resumes_right_after_the_last()
    {
        string path = Path.Combine(_directory, "single.ic");
        var first = new ReservedBlockInvocationCounter(path, blockSize: 1);
        Assert.Equal([1u, 2u, 3u], new[] { first.Reserve(), first.Reserve(), first.Reserve() });
        Assert.Equal("4", File.ReadAllText(path));
        Assert.Equal(4u, new ReservedBlockInvocationCounter(path, blockSize: 1).Reserve());
    }
}
