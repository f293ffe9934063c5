using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Prepay.Cli.Hosting;
using Prepay.Dlms;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Security;

namespace Prepay.Cli.Dlms;

/// <summary>
/// <c>prepay meter dlms</c> runs one virtual meter as a DLMS/COSEM server on 127.0.0.1, and <c>prepay dlms read</c>
/// reads one attribute from any DLMS server over the TCP wrapper. Keys and passwords come from the command line,
/// are never printed, and the reader's invocation counter is kept in a file so that it never reuses a value.
/// </summary>
internal static class DlmsCommands
{
    internal static Option<string?> SystemTitle() => new("--system-title") { Description = "Own system title, 8 bytes in hex (HLS-GMAC)" };
    internal static Option<string?> CipherKey() => new("--block-cipher-key") { Description = "Global unicast encryption key, 16 bytes in hex" };
    internal static Option<string?> AuthKey() => new("--auth-key") { Description = "Authentication key, 16 bytes in hex" };
    internal static Option<string?> Password() => new("--password") { Description = "Low-level security password" };

    public static Command Meter() =>
#pragma warning disable RS0030 // The CLI is a composition root: the only place the real clock is chosen.
        new("meter", "Virtual meters.") { MeterDlmsCommand.Create(SystemClock.Instance) };
#pragma warning restore RS0030

    public static Command Dlms() => new("dlms", "DLMS/COSEM (IEC 62056) over the TCP wrapper.") { Read() };

    private static Command Read()
    {
        var host = new Option<string>("--host") { Description = "Server host", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Server TCP port", DefaultValueFactory = _ => 4059 };
        var obis = new Option<string?>("--obis") { Description = "Logical name A.B.C.D.E.F" };
        var classId = new Option<ushort>("--class") { Description = "Interface class id (default 3, register)", DefaultValueFactory = _ => 3 };
        var attribute = new Option<sbyte>("--attribute") { Description = "Attribute id (default 2)", DefaultValueFactory = _ => 2 };
        var client = new Option<ushort>("--client-address") { Description = "Client wPort (16 public, 1 management)", DefaultValueFactory = _ => 16 };
        var server = new Option<ushort>("--server-address") { Description = "Server wPort (1 management logical device)", DefaultValueFactory = _ => 1 };
        var auth = new Option<string>("--auth") { Description = "none, low or high-gmac", DefaultValueFactory = _ => "none" };
        var password = Password();
        var title = SystemTitle();
        var cipherKey = CipherKey();
        var authKey = AuthKey();
        var counterFile = new Option<string?>("--counter-file") { Description = "File holding the next invocation counter (default ./dlms-counter-<system title>)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("read", "Read one attribute from a DLMS server and print its value.")
        {
            host, port, obis, classId, attribute, client, server, auth, password, title, cipherKey, authKey, counterFile, json,
        };
        command.SetAction(async (r, ct) =>
        {
            if (ObisCode.TryParse(r.GetValue(obis)) is not { } name)
            {
                return Fail("--obis must be an OBIS code A.B.C.D.E.F");
            }
            AuthenticationMechanism? mechanism = r.GetValue(auth) switch
            {
                "none" => AuthenticationMechanism.Lowest,
                "low" => AuthenticationMechanism.Low,
                "high-gmac" => AuthenticationMechanism.HighGmac,
                _ => null,
            };
            if (mechanism is null)
            {
                return Fail("--auth must be none, low or high-gmac");
            }
            if (!TryKeys(r.GetValue(title), r.GetValue(cipherKey), r.GetValue(authKey), out var systemTitle, out var suite))
            {
                return CommandLine.BadInput;
            }
            using (suite)
            {
                if (mechanism == AuthenticationMechanism.HighGmac && (suite is null || systemTitle is null))
                {
                    return Fail("--auth high-gmac needs --system-title, --block-cipher-key and --auth-key");
                }
                if (mechanism == AuthenticationMechanism.Low && r.GetValue(password) is null)
                {
                    return Fail("--auth low needs --password");
                }
                var options = new DlmsClientOptions
                {
                    ClientAddress = r.GetValue(client),
                    ServerAddress = r.GetValue(server),
                    Mechanism = mechanism.Value,
                    Password = r.GetValue(password) is { } pw ? System.Text.Encoding.UTF8.GetBytes(pw) : null,
                    Suite = suite,
                    SystemTitle = systemTitle ?? Octets.FromHex("5052455041594331"),
                    OutgoingCounter = suite is null
                        ? new MemoryInvocationCounter()
                        : new FileInvocationCounter(r.GetValue(counterFile) ?? $"dlms-counter-{systemTitle}"),
                };
                try
                {
                    // A counter behind the server's (new counter file, a meter that restarted past a reserved block)
                    // is moved up to the meter's 0.0.43.1.0.255 and the association tried once more.
                    await using var dlms = await CounterResynchronisation.ConnectAndAssociateAsync(r.GetValue(host)!, r.GetValue(port), options, ct);
                    var read = await dlms.GetAsync(new CosemAttributeDescriptor(r.GetValue(classId), name, r.GetValue(attribute)), cancellationToken: ct);
                    await dlms.ReleaseAsync(ct);
                    Print(name, read.Result.ToString(), read.Value, r.GetValue(json));
                    return read.Value is null ? 1 : 0;
                }
                catch (Exception e) when (e is DlmsFormatException or DlmsAssociationRefusedException or DlmsServiceRefusedException or IOException or System.Net.Sockets.SocketException)
                {
                    await Console.Error.WriteLineAsync($"prepay: {e.Message}");
                    return 1;
                }
            }
        });
        return command;
    }

    private static void Print(ObisCode name, string result, DlmsValue? value, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { obis = name.ToString(), result, value = value?.ToString(), encoded = value is null ? null : Convert.ToHexString(value.Encode()) }));
            return;
        }
        Console.WriteLine(value is null ? $"{name} {result}" : $"{name} {value}");
    }

    internal static bool TryKeys(string? title, string? cipherKey, string? authKey, out Octets? systemTitle, out SecuritySuite0? suite)
    {
        systemTitle = null;
        suite = null;
        try
        {
            if (title is not null)
            {
                var parsed = Octets.FromHex(title);
                if (parsed.Length != SecuritySuite0.SystemTitleSize)
                {
                    return Fail("--system-title has 8 bytes in hex") == 0;
                }
                systemTitle = parsed;
            }
            if (cipherKey is null != authKey is null)
            {
                return Fail("--block-cipher-key and --auth-key go together") == 0;
            }
            if (cipherKey is not null)
            {
                var ek = Convert.FromHexString(cipherKey);
                var ak = Convert.FromHexString(authKey!);
                if (ek.Length != SecuritySuite0.KeySize || ak.Length != SecuritySuite0.KeySize)
                {
                    return Fail("keys have 16 bytes in hex") == 0;
                }
                suite = new SecuritySuite0(ek, ak);
            }
            return true;
        }
        catch (FormatException)
        {
            return Fail("system title and keys are hex") == 0;
        }
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"prepay: {message}");
        return CommandLine.BadInput;
    }
}
