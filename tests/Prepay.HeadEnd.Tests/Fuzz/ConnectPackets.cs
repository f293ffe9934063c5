using System.Text;

namespace Prepay.HeadEnd.Tests.Fuzz;

/// <summary>
/// MQTT CONNECT packets built byte by byte (MQTT 3.1.1 §3.1, MQTT 5.0 §3.1), so that every field can be wrong: the
/// protocol name and level, the flags (reserved bit, will without topic, password without user name), the keep
/// alive, MQTT 5 properties and will properties, the client id, the will and the credentials, and the remaining
/// length itself.
/// </summary>
public sealed record ConnectPacket
{
    public string ProtocolName { get; init; } = "MQTT";
    public byte Level { get; init; } = 4;
    public byte? Flags { get; init; }
    public ushort KeepAlive { get; init; } = 30;
    public byte[] Properties { get; init; } = [];
    public byte[] ClientId { get; init; } = [];
    public byte[]? WillTopic { get; init; }
    public byte[] WillProperties { get; init; } = [];
    public byte[] WillPayload { get; init; } = [];
    public byte[]? UserName { get; init; }
    public byte[]? Password { get; init; }
    public int? RemainingLengthDelta { get; init; }

    public bool IsV5 => Level == 5;

    public byte[] Encode()
    {
        var body = new List<byte>();
        String(body, Encoding.UTF8.GetBytes(ProtocolName));
        body.Add(Level);
        body.Add(Flags ?? (byte)((UserName is null ? 0 : 0x80) | (Password is null ? 0 : 0x40) | (WillTopic is null ? 0 : 0x04) | 0x02));
        body.Add(unchecked((byte)(KeepAlive >> 8)));
        body.Add(unchecked((byte)KeepAlive));
        if (IsV5)
        {
            body.AddRange(VariableInt(Properties.Length));
            body.AddRange(Properties);
        }
        String(body, ClientId);
        if (WillTopic is not null)
        {
            if (IsV5)
            {
                body.AddRange(VariableInt(WillProperties.Length));
                body.AddRange(WillProperties);
            }
            String(body, WillTopic);
            String(body, WillPayload);
        }
        if (UserName is not null)
        {
            String(body, UserName);
        }
        if (Password is not null)
        {
            String(body, Password);
        }
        return [0x10, .. VariableInt(Math.Max(0, body.Count + (RemainingLengthDelta ?? 0))), .. body];
    }

    /// <summary>MQTT's two-byte length and bytes (a length over 65535 is written wrapped: another way to be wrong).</summary>
    private static void String(List<byte> to, byte[] value)
    {
        to.Add(unchecked((byte)(value.Length >> 8)));
        to.Add(unchecked((byte)value.Length));
        to.AddRange(value);
    }

    /// <summary>MQTT's variable byte integer (§1.5.5 / §2.2.3): seven bits a byte, the high bit for "more".</summary>
    public static byte[] VariableInt(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
        return [.. bytes];
    }
}

/// <summary>Seeded wrong CONNECT packets, each with a line saying what was done.</summary>
public static class ConnectMutations
{
    public static (string Description, byte[] Bytes) Mutate(Random rng, string meter, string password, string otherMeter, string serviceUser)
    {
        var v5 = rng.Next(2) == 0;
        var packet = new ConnectPacket
        {
            Level = v5 ? (byte)5 : (byte)4,
            ClientId = Encoding.UTF8.GetBytes(meter),
            UserName = Encoding.UTF8.GetBytes(meter),
            Password = Encoding.UTF8.GetBytes(password),
            WillTopic = Encoding.UTF8.GetBytes($"prepay/v1/meters/{meter}/status"),
            WillPayload = Encoding.UTF8.GetBytes("""{"online":false}"""),
            Properties = v5 ? [0x11, 0, 0, 0x0E, 0x10] : [],
        };
        var what = new List<string> { v5 ? "MQTT 5" : "MQTT 3.1.1" };
        var changes = 1 + rng.Next(3);
        for (var k = 0; k < changes; k++)
        {
            (packet, var change) = Change(rng, packet, meter, password, otherMeter, serviceUser);
            what.Add(change);
        }
        var bytes = packet.Encode();
        switch (rng.Next(6))
        {
            case 0:
                var flips = 1 + rng.Next(3);
                for (var f = 0; f < flips; f++)
                {
                    bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                }
                what.Add($"{flips} bit(s) flipped");
                break;
            case 1:
                var keep = 1 + rng.Next(bytes.Length - 1);
                bytes = bytes[..keep];
                what.Add($"truncated to {keep} bytes");
                break;
            case 2:
                var junk = new byte[1 + rng.Next(64)];
                rng.NextBytes(junk);
                bytes = [.. bytes, .. junk];
                what.Add($"{junk.Length} random bytes after it");
                break;
            case 3:
                // A second CONNECT on the same connection is a protocol violation (§3.1.0-2).
                bytes = [.. bytes, .. bytes];
                what.Add("sent twice");
                break;
        }
        return (string.Join("; ", what), bytes);
    }

    private static (ConnectPacket, string) Change(Random rng, ConnectPacket p, string meter, string password, string otherMeter, string serviceUser)
    {
        byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        byte[][] names = [[], Utf8(otherMeter), Utf8("#"), Utf8(serviceUser), Utf8(meter + "\0"), [0xC3, 0x28], [0xED, 0xA0, 0x80], Utf8(new string('m', 70_000)), Utf8("prepay/v1/meters/+/commands"), Utf8(meter.ToUpperInvariant() + " ")];
        switch (rng.Next(14))
        {
            case 0:
                var level = new byte[] { 0, 3, 6, 255, 4, 5 }[rng.Next(6)];
                return (p with { Level = level }, $"level {level}");
            case 1:
                var name = new[] { "MQIsdp", "MQTX", "", "mqtt", "MQTT\0" }[rng.Next(5)];
                return (p with { ProtocolName = name }, $"protocol name '{name}'");
            case 2:
                var flags = (byte)rng.Next(256);
                return (p with { Flags = flags }, $"flags 0x{flags:X2}");
            case 3:
                var keepAlive = new ushort[] { 0, 1, 65535 }[rng.Next(3)];
                return (p with { KeepAlive = keepAlive }, $"keep alive {keepAlive}");
            case 4:
                var properties = new byte[rng.Next(40)];
                rng.NextBytes(properties);
                return (p with { Properties = properties }, $"properties {Convert.ToHexString(properties)}");
            case 5:
                byte[][] hostile =
                [
                    [0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2], // session expiry twice
                    [0x21, 0, 0], // receive maximum 0 (§3.1.2.11.3: a protocol error)
                    [0x27, 0, 0, 0, 0], // maximum packet size 0
                    [0x15, 0, 11, .. Utf8("SCRAM-SHA-1"), 0x16, 0, 2, 1, 2], // enhanced authentication nobody offers
                    [0x26, 0, 1, (byte)'k', 0, 1, (byte)'v', 0x26, 0, 1, (byte)'k', 0, 1, (byte)'v'],
                    [0x19, 2], // request response information: not 0 or 1
                    [0x22, 0xFF, 0xFF],
                    [0x01, 1], // a PUBLISH property in a CONNECT
                ];
                var pick = hostile[rng.Next(hostile.Length)];
                return (p with { Level = 5, Properties = pick }, $"MQTT 5 properties {Convert.ToHexString(pick)}");
            case 6:
                var id = names[rng.Next(names.Length)];
                return (p with { ClientId = id }, $"client id {Describe(id)}");
            case 7:
                var user = names[rng.Next(names.Length)];
                return (p with { UserName = user }, $"user name {Describe(user)}");
            case 8:
                var secret = rng.Next(3) switch { 0 => Utf8("wrong"), 1 => [], _ => Utf8(password + "x") };
                return (p with { Password = secret }, $"password {Describe(secret)}");
            case 9:
                return (p with { UserName = null }, "password without a user name");
            case 10:
                var topic = new[] { "#", $"prepay/v1/meters/{otherMeter}/commands", $"prepay/v1/meters/{otherMeter}/status", "", "prepay/v1/meters/+/status", "$SYS/x" }[rng.Next(6)];
                return (p with { WillTopic = Utf8(topic), WillPayload = Utf8("""{"commandId":"00000000-0000-0000-0000-000000000001","type":"addCredit","args":{"energyWh":1000000},"issuedAt":"2026-11-23T08:00:00Z","expiresAt":"2026-11-30T08:00:00Z"}""") },
                    $"will to '{topic}'");
            case 11:
                var willProperties = new byte[rng.Next(20)];
                rng.NextBytes(willProperties);
                return (p with { Level = 5, WillProperties = willProperties }, $"will properties {Convert.ToHexString(willProperties)}");
            case 12:
                var delta = new[] { -1, 1, -5, 100, 268_435_455 }[rng.Next(5)];
                return (p with { RemainingLengthDelta = delta }, $"remaining length off by {delta}");
            default:
                var payload = new byte[rng.Next(2) == 0 ? 70_000 : rng.Next(200)];
                rng.NextBytes(payload);
                return (p with { WillPayload = payload }, $"will payload of {payload.Length} random bytes");
        }
    }

    private static string Describe(byte[] value) =>
        value.Length > 40 ? $"{value.Length} bytes" : $"'{new string([.. Encoding.UTF8.GetString(value).Select(c => char.IsControl(c) ? '¿' : c)])}'";
}
