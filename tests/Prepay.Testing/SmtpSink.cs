using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Prepay.Testing;

/// <summary>
/// A real SMTP server for the tests: Debian's aiosmtpd on a free loopback port, with a small handler that writes
/// each message it accepts to a folder. Stopped (stdin closed, then killed) on dispose, and it exits by itself when
/// the test process goes away and its stdin closes.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private const string Handler = """
        import os, sys, uuid
        from aiosmtpd.controller import Controller

        folder, port = sys.argv[1], int(sys.argv[2])

        class Keep:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(folder, uuid.uuid4().hex)
                with open(name + ".tmp", "wb") as f:
                    f.write(envelope.original_content or envelope.content)
                os.rename(name + ".tmp", name + ".eml")
                return "250 Message accepted"

        controller = Controller(Keep(), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "prepay-smtp-" + Guid.NewGuid().ToString("N"));

    public SmtpSink()
    {
        Directory.CreateDirectory(Folder);
        var script = Path.Combine(_root, "sink.py");
        File.WriteAllText(script, Handler);
        Port = LoopbackPorts.Free();
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; // Debian's python has the package
        _process = Process.Start(new ProcessStartInfo(python, [script, Folder, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(20)) || ready.Result != "ready")
        {
            var error = _process.HasExited ? _process.StandardError.ReadToEnd() : "no answer";
            Dispose();
            throw new InvalidOperationException($"aiosmtpd did not start (install python3-aiosmtpd): {error}");
        }
    }

    public int Port { get; }

    /// <summary>A server's settings to send its email here, as <paramref name="from"/>, in plain SMTP on loopback.</summary>
    public Dictionary<string, string?> Settings(string from) => SettingsFor(Port, from);

    /// <summary>The same for an SMTP server on loopback <paramref name="port"/>.</summary>
    public static Dictionary<string, string?> SettingsFor(int port, string from) => new()
    {
        ["Alerts:Smtp:Host"] = "127.0.0.1",
        ["Alerts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts:Smtp:Security"] = "None",
        ["Alerts:Smtp:From"] = from,
    };

    public string Folder => Path.Combine(_root, "mail");

    /// <summary>Every message received so far, parsed just enough: headers and body.</summary>
    public IReadOnlyList<ReceivedMail> Messages() =>
        Directory.GetFiles(Folder, "*.eml").Select(f => ReceivedMail.Parse(File.ReadAllText(f))).ToList();


    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(3000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record ReceivedMail(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";

    public static ReceivedMail Parse(string raw)
    {
        var text = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.StartsWith(' ') || line.StartsWith('\t'))
            {
                if (last is not null)
                {
                    headers[last] += " " + line.Trim();
                }
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }
        return new ReceivedMail(headers, split < 0 ? "" : text[(split + 2)..]);
    }
}
