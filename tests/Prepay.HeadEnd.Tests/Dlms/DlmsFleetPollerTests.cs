using System.Diagnostics;
using NodaTime;
using Prepay.Dlms.Cosem.Classes;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter.Registers;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>The poller across many virtual DLMS meters: bounded concurrency, one session per meter, every outcome returned.</summary>
public sealed class DlmsFleetPollerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _counters = Directory.CreateTempSubdirectory("prepay-dlms-fleet-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_counters, recursive: true);

    /// <summary>What the scale run does on each meter: a load-profile read, a disconnect and a reconnect.</summary>
    private static async Task<DlmsOutcome<int>> ProfileThenDisconnectThenReconnect(DlmsMeterSession session, CancellationToken ct)
    {
        var profile = await session.ReadLoadProfileAsync(VirtualDlmsMeter.Started, VirtualDlmsMeter.Started + Duration.FromHours(2), ct);
        if (profile is not DlmsOutcome<LoadProfileReading>.Succeeded { Value: var reading })
        {
            return profile.Failure<int>();
        }
        var off = await session.DisconnectAsync(ct);
        if (off is not DlmsOutcome<SupplyControl>.Succeeded { Value.State: ControlState.Disconnected })
        {
            return off.IsSuccess ? DlmsOutcome.Reject<int>(DlmsProblem.UnusableValue, "still connected") : off.Failure<int>();
        }
        var on = await session.ReconnectAsync(ct);
        return on.Map(state => state.OutputConnected ? DlmsOutcome.Success(reading.Intervals.Count) : DlmsOutcome.Reject<int>(DlmsProblem.UnusableValue, "still disconnected"));
    }

    [Fact]
    public async Task Each_meter_gets_its_own_outcome_in_order_and_progress_counts_every_one()
    {
        var meters = Enumerable.Range(1, 5).Select(i => VirtualDlmsMeter.Serve($"0400000030{i}")).ToList();
        try
        {
            var endpoints = meters.Select(m => m.Endpoint()).ToList();
            endpoints[2] = endpoints[2] with { Authentication = DlmsAuthentication.Low };
            var reports = new List<DlmsFleetProgress>();
            var poller = new DlmsFleetPoller(FixedKeys.Right, new DlmsCounterDirectory(_counters), maxConcurrentMeters: 2);

            var runs = await poller.RunAsync(endpoints, ProfileThenDisconnectThenReconnect, new SynchronousProgress(reports), Ct);

            Assert.Equal(endpoints.Select(e => e.Meter), runs.Select(r => r.Meter));
            Assert.Equal(DlmsProblem.NoKeys, Assert.IsType<DlmsOutcome<int>.Rejected>(runs[2].Outcome).Problem);
            Assert.All(runs.Where((_, i) => i != 2), r => Assert.Equal(8, r.Outcome.ValueOrThrow));
            Assert.Equal(5, reports.Count);
            Assert.Equal(new DlmsFleetProgress(5, 5, 1), reports.MaxBy(r => r.Done));
            Assert.Equal([1, 1, 0, 1, 1], meters.Select(m => m.Relay.Method1Successes));
        }
        finally
        {
            foreach (var meter in meters)
            {
                await meter.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_head_end_drives_1000_dlms_virtual_meters_over_loopback_tcp_with_hls_gmac_none_lost_none_doubled()
    {
        const int Count = 1000;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.StartNew();
        var meters = new List<VirtualDlmsMeter>(Count);
        try
        {
            for (int i = 0; i < Count; i++)
            {
                meters.Add(VirtualDlmsMeter.Serve($"04100{i:D6}"));
            }
            var serving = started.Elapsed;
            long peakManaged = GC.GetTotalMemory(false);
            var counters = new DlmsCounterDirectory(_counters);
            var poller = new DlmsFleetPoller(FixedKeys.Right, counters, maxConcurrentMeters: 64);
            var progress = new SynchronousProgress(null, () => peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false)));

            var runs = await poller.RunAsync(meters.Select(m => m.Endpoint()).ToList(), ProfileThenDisconnectThenReconnect, progress, deadline.Token);
            var driven = started.Elapsed - serving;

            var failures = runs.Where(r => !r.Outcome.IsSuccess).Select(r => $"{r.Meter}: {r.Outcome}").Take(5).ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.Equal(Count, runs.Select(r => r.Meter).Distinct().Count());
            Assert.All(runs, r => Assert.Equal(8, r.Outcome.ValueOrThrow));
            // Counted on the meters' side: exactly one profile read, one disconnect and one reconnect each.
            Assert.All(meters, m => Assert.Equal((1, 1, 1), (m.Profile.SelectiveReads, m.Relay.Method1Successes, m.Relay.Method2Successes)));
            Assert.All(meters, m => Assert.Equal(RelayState.Connected, m.Firmware.Relay));
            Assert.Equal(Count, progress.Reports);

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            output.WriteLine($"{Count} DLMS meters over loopback TCP with HLS-GMAC, 64 sessions at once, counters flushed {counters.ReserveAhead} values ahead:");
            output.WriteLine($"  serving the meters: {serving.TotalSeconds:F1} s; a profile read, disconnect and reconnect for each: {driven.TotalSeconds:F1} s ({Count / driven.TotalSeconds:F0} meters/s)");
            output.WriteLine($"  managed heap: {memoryBefore / 1048576.0:F0} MiB before, peak seen {peakManaged / 1048576.0:F0} MiB; working set {process.WorkingSet64 / 1048576.0:F0} MiB, peak {process.PeakWorkingSet64 / 1048576.0:F0} MiB");
        }
        finally
        {
            foreach (var meter in meters)
            {
                await meter.DisposeAsync();
            }
        }
    }

    /// <summary>Reports on the reporting thread (Progress&lt;T&gt; posts later, after the run may have returned).</summary>
    private sealed class SynchronousProgress(List<DlmsFleetProgress>? reports, Action? onReport = null) : IProgress<DlmsFleetProgress>
    {
        private readonly Lock _lock = new();
        private int _reports;

        public int Reports => Volatile.Read(ref _reports);

        public void Report(DlmsFleetProgress value)
        {
            lock (_lock)
            {
                reports?.Add(value);
                _reports++;
                onReport?.Invoke();
            }
        }
    }
}
