using System.Globalization;

namespace Prepay.Dlms;

/// <summary>
/// An immutable byte string compared by content, so that records holding one (octet-strings, system titles,
/// authentication values, raw data blocks) get value equality. <c>default</c> is the empty string.
/// </summary>
public readonly struct Octets : IEquatable<Octets>
{
    private readonly byte[]? _bytes;

    public Octets(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private Octets(byte[] owned, bool _) => _bytes = owned;

    public static Octets Empty => default;

    public ReadOnlySpan<byte> Span => _bytes;

    public int Length => _bytes?.Length ?? 0;

    public bool IsEmpty => Length == 0;

    public byte this[int index] => Span[index];

    public static Octets FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return new Octets(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), true);
    }

    internal static Octets Own(byte[] bytes) => new(bytes, true);

    public byte[] ToArray() => Span.ToArray();

    public bool Equals(Octets other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Octets other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexString(Span);

    public string ToString(string separator) =>
        string.Join(separator, Span.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    public static bool operator ==(Octets left, Octets right) => left.Equals(right);

    public static bool operator !=(Octets left, Octets right) => !left.Equals(right);
}
