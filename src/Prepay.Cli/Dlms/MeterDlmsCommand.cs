using System.CommandLine;
using System.Globalization;
using System.Net;
using NodaTime;
using Prepay.Cli.Hosting;
using Prepay.Dlms;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;
using Prepay.Meter;
using Prepay.Meter.Dlms;
using Prepay.Simulator.Tokens;

namespace Prepay.Cli.Dlms;

/// <summary>
/// <c>prepay meter dlms</c>: one virtual meter as a DLMS/COSEM server on 127.0.0.1. With keys, its own invocation
/// counter and the counters it accepted from clients live in <c>--state</c> and are persisted before use, so a
/// kill -9 never makes the meter reuse a counter nor accept a replayed request.
/// </summary>
internal static class MeterDlmsCommand
{
    /// <summary>The meter's own counter: one flush to disk per this many values sent.</summary>
    private const uint OutgoingBlock = 64;

    /// <summary>Counters accepted from clients: one flush per this many; after a crash clients resynchronise.</summary>
    private const uint ReceivedBlock = 16;

    public static Command Create(IClock clock)
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (4059 is DLMS's; 0 picks a free one)", DefaultValueFactory = _ => 4059 };
        var seed = new Option<long>("--seed") { Description = "Seeds the load", DefaultValueFactory = _ => 1 };
        var state = new Option<string?>("--state")
        {
            Description = "Directory of the invocation counters, persisted before use (default data/dlms-meter/<system title> under the current directory, beside the server's data directory)",
        };
        var password = DlmsCommands.Password();
        var title = DlmsCommands.SystemTitle();
        var cipherKey = DlmsCommands.CipherKey();
        var authKey = DlmsCommands.AuthKey();
        var command = new Command("dlms", "Run one virtual meter as a DLMS server: public client 16 reads clock, energy and the invocation counter 0.0.43.1.0.255, management client 1 uses HLS-GMAC when keys are given.")
        {
            port, seed, state, password, title, cipherKey, authKey,
        };
        command.SetAction(async (r, ct) =>
        {
            if (!DlmsCommands.TryKeys(r.GetValue(title), r.GetValue(cipherKey), r.GetValue(authKey), out var systemTitle, out var suite))
            {
                return CommandLine.BadInput;
            }
            using (suite)
            {
                var serverTitle = systemTitle ?? Octets.FromHex("5052455041590001");
                var directory = r.GetValue(state) ?? Path.Combine("data", "dlms-meter", serverTitle.ToString());
                Directory.CreateDirectory(directory);
                var received = new FileReceivedCounters(Path.Combine(directory, "received-counters"), ReceivedBlock);
                var dlms = new DlmsMeter(new PrepaidMeter(new MeterConfiguration
                {
                    MeterId = "DLMS-" + r.GetValue(seed).ToString(CultureInfo.InvariantCulture),
                    Seed = r.GetValue(seed),
                    Start = clock.GetCurrentInstant(),
                    Sts = DecoderKeys.None,
                    InitialCreditWh = 10_000,
                }));
                await using var server = new DlmsServer(new DlmsServerOptions
                {
                    Objects = dlms.Objects,
                    PublicObjects = DlmsMeter.PublicObjects,
                    Password = r.GetValue(password) is { } pw ? System.Text.Encoding.UTF8.GetBytes(pw) : null,
                    Suite = suite,
                    SystemTitle = serverTitle,
                    OutgoingCounter = new FileInvocationCounter(Path.Combine(directory, "invocation-counter"), OutgoingBlock),
                    ReceivedCounters = received,
                }, new IPEndPoint(IPAddress.Loopback, r.GetValue(port)));
                server.Start();
                Console.WriteLine($"DLMS meter on 127.0.0.1:{server.Port} ({(suite is null ? r.GetValue(password) is null ? "no security" : "low-level password" : "HLS-GMAC")}), counters in {Path.GetFullPath(directory)}; Ctrl+C stops it.");
                var last = clock.GetCurrentInstant();
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), ct);
                        var now = clock.GetCurrentInstant();
                        dlms.Advance(now - last);
                        last = now;
                    }
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: an orderly stop records the exact counters, so clients need not resynchronise.
                }
                received.Checkpoint();
            }
            return 0;
        });
        return command;
    }
}
