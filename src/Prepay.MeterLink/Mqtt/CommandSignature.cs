using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// What a command's MAC covers and the MAC itself (docs/mqtt.md, "Signed commands", protocol 1.1): the command's
/// fields in a fixed order, each length-prefixed, never the JSON as it was written, so a meter rebuilds the same
/// bytes from what it parsed however the JSON was spaced or ordered, and no two different commands share bytes.
/// </summary>
public static class CommandSignature
{
    /// <summary>The first field: what these bytes are and which layout, so they can never pass for another message's.</summary>
    public const string Label = "prepay-command/1.1";

    /// <summary>
    /// The signed bytes of <paramref name="command"/> for <paramref name="meterNumber"/>, or null when its arguments
    /// have no canonical form (anything but an object of integers, strings and lists of strings).
    /// </summary>
    public static byte[]? Bytes(string meterNumber, CommandMessage command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var buffer = new List<byte>(256);
        String(buffer, Label);
        String(buffer, meterNumber);
        Span<byte> id = stackalloc byte[16];
        command.CommandId.TryWriteBytes(id, bigEndian: true, out _); // RFC 9562 §4: the UUID's bytes as written in its text
        buffer.AddRange(id);
        Int64(buffer, command.Seq);
        String(buffer, command.Type);
        if (!Arguments(buffer, command.Args))
        {
            return null;
        }
        Int64(buffer, command.IssuedAt.ToUnixTimeMilliseconds());
        Int64(buffer, command.ExpiresAt.ToUnixTimeMilliseconds());
        return [.. buffer];
    }

    /// <summary>Whether <paramref name="args"/> has a canonical form, so a command carrying them can be signed.</summary>
    public static bool CanSign(JsonElement? args) => Arguments([], args);

    /// <summary>HMAC-SHA256 of <paramref name="signedBytes"/> under the meter's command key, base64url without padding (RFC 4648 §5).</summary>
    public static string Mac(ReadOnlySpan<byte> meterKey, ReadOnlySpan<byte> signedBytes) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(meterKey, signedBytes));

    /// <summary>
    /// <paramref name="command"/> with its sequence number and MAC; null when its arguments cannot be signed
    /// (<see cref="CanSign"/>). Instants are signed to the millisecond, so they are sent that way too.
    /// </summary>
    public static CommandMessage? Seal(ReadOnlySpan<byte> meterKey, string meterNumber, CommandMessage command)
    {
        var whole = command with { IssuedAt = WholeMilliseconds(command.IssuedAt), ExpiresAt = WholeMilliseconds(command.ExpiresAt), Mac = null };
        return Bytes(meterNumber, whole) is { } bytes ? whole with { Mac = Mac(meterKey, bytes) } : null;
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    // Members in ordinal order of their UTF-8 names; each value tagged: 'i' a 64-bit integer, 's' a string, 'a' a
    // list of strings. A JSON null, or no args at all, is an empty object.
    private static bool Arguments(List<byte> buffer, JsonElement? args)
    {
        if (args is not { } a || a.ValueKind == JsonValueKind.Null)
        {
            UInt32(buffer, 0);
            return true;
        }
        if (a.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        var members = a.EnumerateObject().Select(p => (Name: Encoding.UTF8.GetBytes(p.Name), p.Value)).ToList();
        members.Sort((x, y) => x.Name.AsSpan().SequenceCompareTo(y.Name));
        for (var i = 1; i < members.Count; i++)
        {
            if (members[i].Name.AsSpan().SequenceEqual(members[i - 1].Name))
            {
                return false; // a repeated member: which one counts would depend on the parser
            }
        }
        UInt32(buffer, (uint)members.Count);
        foreach (var (name, value) in members)
        {
            Bytes(buffer, name);
            switch (value.ValueKind)
            {
                case JsonValueKind.Number when value.TryGetInt64(out var n):
                    buffer.Add((byte)'i');
                    Int64(buffer, n);
                    break;
                case JsonValueKind.String:
                    buffer.Add((byte)'s');
                    String(buffer, value.GetString()!);
                    break;
                case JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    buffer.Add((byte)'a');
                    UInt32(buffer, (uint)value.GetArrayLength());
                    foreach (var item in value.EnumerateArray())
                    {
                        String(buffer, item.GetString()!);
                    }
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static void String(List<byte> buffer, string value) => Bytes(buffer, Encoding.UTF8.GetBytes(value));

    private static void Bytes(List<byte> buffer, byte[] value)
    {
        UInt32(buffer, (uint)value.Length);
        buffer.AddRange(value);
    }

    private static void UInt32(List<byte> buffer, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        buffer.AddRange(b);
    }

    private static void Int64(List<byte> buffer, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        buffer.AddRange(b);
    }
}
