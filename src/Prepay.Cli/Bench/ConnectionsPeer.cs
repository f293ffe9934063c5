using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench connections-peer</c> (hidden): the far end of <c>prepay bench connections</c>, in a process of its
/// own so that neither process holds both ends of thousands of sockets. It reads its <see cref="PeerPlan"/> from the
/// first line of stdin, talks <see cref="PeerProtocol"/> on stdout, and stops at <c>stop</c> or when stdin closes
/// (its parent died), closing every socket it opened.
/// </summary>
public static class ConnectionsPeer
{
    public static Command Create()
    {
        var command = new Command(PeerProcess.CommandName, "The connections benchmark's peer process (started by 'prepay bench connections').") { Hidden = true };
        command.SetAction(async (parse, ct) =>
        {
            if (await Console.In.ReadLineAsync(ct) is not { } first || JsonSerializer.Deserialize<PeerPlan>(first) is not { } plan)
            {
                await Console.Error.WriteLineAsync("prepay: the peer expects its plan as one JSON line on stdin");
                return Hosting.CommandLine.BadInput;
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _ = Task.Run(async () =>
            {
                // Anything but more lines (stop, or the end of stdin when the parent is gone) ends the run.
                while (await Console.In.ReadLineAsync(CancellationToken.None) is { } line && line.Trim() != PeerProtocol.Stop)
                {
                }
                await stop.CancelAsync();
            }, CancellationToken.None);
            var output = TextWriter.Synchronized(Console.Out);
            switch (plan.Mode)
            {
                case PeerMode.MqttMeters:
                    await new MqttMetersPeer(plan, output).RunAsync(stop.Token);
                    break;
                case PeerMode.TcpConnect:
                    await new TcpConnectPeer(plan, output).RunAsync(stop.Token);
                    break;
                case PeerMode.TcpListen:
                    await new TcpListenPeer(output).RunAsync(stop.Token);
                    break;
            }
            return 0;
        });
        return command;
    }

    /// <summary>Writes a progress line every second until <paramref name="until"/> completes.</summary>
    internal static async Task ReportProgressAsync(Task until, Func<string> line, TextWriter output)
    {
        while (await Task.WhenAny(until, Task.Delay(1000)) != until)
        {
            await output.WriteLineAsync(line());
        }
    }

    /// <summary>Seconds on a stopwatch, for progress lines.</summary>
    internal static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 3);
}
