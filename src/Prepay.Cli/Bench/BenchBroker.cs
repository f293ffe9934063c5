using System.Diagnostics;
using System.Net.Sockets;
using Prepay.HeadEnd.Mqtt;

namespace Prepay.Cli.Bench;

/// <summary>
/// A Mosquitto of the bench's own on loopback, configured exactly as <c>prepay mqtt mosquitto-config</c> writes it
/// (hashed password file for the bench's meters, pattern ACL, a service listener for the nodes). Killed on dispose.
/// </summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly Process _process;

    private BenchBroker(Process process) => _process = process;

    public static async Task<BenchBroker> StartAsync(string directory, MosquittoListeners listeners, MeterCredentials credentials, IEnumerable<string> meters, CancellationToken ct)
    {
        var mosquitto = MosquittoConfig.FindMosquitto() ?? throw new InvalidOperationException("bench nodes needs Mosquitto (apt-get install mosquitto)");
        var passwd = MosquittoConfig.FindMosquittoPasswd() ?? throw new InvalidOperationException("bench nodes needs mosquitto_passwd (apt-get install mosquitto)");
        Directory.CreateDirectory(directory);
        await MosquittoConfig.WriteAsync(directory, listeners, credentials, new MqttOptions(), meters, passwd, ct);
        var process = Process.Start(new ProcessStartInfo(mosquitto, ["-c", Path.Combine(directory, MosquittoConfig.ConfigFileName)])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new BenchBroker(process);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, listeners.MeterPort, ct);
                return broker;
            }
            catch (SocketException) when (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, ct);
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
