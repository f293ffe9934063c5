using System.CommandLine;
using System.Diagnostics;
using Prepay.Cli.Hosting;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench dlms [--duration S]</c>: GET.response APDUs per second, encoded and decoded, plain and with
/// AES-GCM-128 (suite 0, authenticated encryption), beside the raw AES-GCM rate on the same payload size measured in
/// the same run, and the ratio of the two (target: the ciphered path at least half the raw rate). Decoding is timed
/// twice: into the tree of values, and as the profile's rows walked by <c>ProfileRowReader</c> without a tree. The operations
/// take turns in several rounds so that load from other processes falls on all of them alike. A missed target is
/// reported, not failed.
/// </summary>
internal static class DlmsBench
{
    public const double RatioTarget = 0.5;
    private const int Rounds = 5;
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds of timed work in all (default 12, at most 600)", DefaultValueFactory = _ => 12 };
        var command = new Command("dlms", "DLMS GET.response encode/decode per second, plain and AES-GCM-128, beside raw AES-GCM on the same payload size.") { duration };
        command.SetAction(r =>
        {
            int seconds = r.GetValue(duration);
            if (seconds is < 1 or > 600)
            {
                Console.Error.WriteLine("prepay: --duration must be 1 to 600 seconds");
                return CommandLine.BadInput;
            }
            Run(TimeSpan.FromSeconds(seconds), Console.Out);
            return 0;
        });
        return command;
    }

    public static IReadOnlyList<Measurement> Run(TimeSpan duration, TextWriter o)
    {
        using var work = new DlmsWorkload();
        (string Name, Func<int> Op)[] operations =
        [
            ("raw AES-GCM-128 encrypt (BCL)", work.RawEncrypt),
            ("raw AES-GCM-128 decrypt (BCL)", work.RawDecrypt),
            ("GET.response encode, plain", work.EncodePlain),
            ("GET.response decode, plain", work.DecodePlain),
            ("GET.response encode, AES-GCM-128", work.EncodeCiphered),
            ("GET.response decode, AES-GCM-128", work.DecodeCiphered),
            ("GET.response rows, plain", work.DecodePlainRows),
            ("GET.response rows, AES-GCM-128", work.DecodeCipheredRows),
        ];
        var totals = operations.Select(_ => new Tally()).ToArray();
        // Warm-up: every operation runs until its code is compiled at full optimisation. The runtime recompiles hot
        // methods in the background after they have been called for a while; on a loaded machine that takes longer
        // than 2,000 calls, so each operation runs for a time as well, twice round.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (_, op) in operations)
            {
                Time(op, WarmUp);
            }
        }
        var slice = duration / (Rounds * operations.Length);
        for (int round = 0; round < Rounds; round++)
        {
            for (int i = 0; i < operations.Length; i++)
            {
                totals[i].Add(Time(operations[i].Op, slice));
            }
        }
        var results = operations.Select((op, i) => totals[i].Result(op.Name)).ToList();
        o.WriteLine();
        o.WriteLine($"prepay bench dlms: a GET.response of 96 load-profile entries (clock, energy): {work.Plain.Length} bytes plain, {work.Ciphered.Length} ciphered; {duration.TotalSeconds:0} s in {Rounds} rounds, one thread");
        o.WriteLine();
        o.WriteLine($"{"operation",-36} {"ops/s",10} {"µs/op",8} {"MB/s",8} {"B alloc/op",11}");
        foreach (var m in results)
        {
            o.WriteLine($"{m.Name,-36} {m.PerSecond,10:0} {1e6 / m.PerSecond,8:0.00} {m.PerSecond * work.Plain.Length / 1e6,8:0} {m.AllocatedPerOp,11:0}");
        }
        o.WriteLine();
        o.WriteLine("decode = decipher + the GET.response as a tree of values; rows = decipher + every row walked into (capture time, energy), no tree");
        Ratio(o, "ciphered encode APDUs/s ÷ raw AES-GCM encrypts/s", results[4].PerSecond / results[0].PerSecond);
        Ratio(o, "ciphered decode (tree) APDUs/s ÷ raw AES-GCM decrypts/s", results[5].PerSecond / results[1].PerSecond);
        Ratio(o, "ciphered decode (rows) APDUs/s ÷ raw AES-GCM decrypts/s", results[7].PerSecond / results[1].PerSecond);
        return results;
    }

    private static void Ratio(TextWriter o, string what, double ratio) =>
        o.WriteLine($"{what} = {ratio:0.000} (target >= {RatioTarget}: {(ratio >= RatioTarget ? "met" : "not met")})");

    private static (long Ops, TimeSpan Elapsed, long Allocated) Time(Func<int> op, TimeSpan slice)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        long ops = 0;
        int sink = 0;
        do
        {
            for (int i = 0; i < 64; i++)
            {
                sink += op();
            }
            ops += 64;
        }
        while (watch.Elapsed < slice);
        watch.Stop();
        GC.KeepAlive(sink);
        return (ops, watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private sealed class Tally
    {
        private long _ops;
        private TimeSpan _elapsed;
        private long _allocated;

        public void Add((long Ops, TimeSpan Elapsed, long Allocated) run)
        {
            _ops += run.Ops;
            _elapsed += run.Elapsed;
            _allocated += run.Allocated;
        }

        public Measurement Result(string name) => new(name, _ops / _elapsed.TotalSeconds, (double)_allocated / _ops);
    }
}

/// <summary>One operation's rate and its allocation per operation.</summary>
internal sealed record Measurement(string Name, double PerSecond, double AllocatedPerOp);
