namespace Prepay.Sts.Meter;

/// <summary>
/// Key change sections received so far (any order). Each section's 44 data bits, or null.
/// IEC 62055-41 §6.3.4: the new key takes effect once all sections for the key length are in.
/// </summary>
public sealed record PendingKeyChange(ulong? Section1, ulong? Section2, ulong? Section3, ulong? Section4)
{
    /// <summary>None received.</summary>
    public static PendingKeyChange Empty { get; } = new(null, null, null, null);

    /// <summary>With one section's data stored.</summary>
    public PendingKeyChange With(int subclass, ulong data) => subclass switch
    {
        3 => this with { Section1 = data },
        4 => this with { Section2 = data },
        8 => this with { Section3 = data },
        9 => this with { Section4 = data },
        _ => throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "Not a key change subclass."),
    };

    /// <summary>Whether all sections for a key of <paramref name="keyBits"/> bits are present.</summary>
    public bool IsComplete(int keyBits) =>
        Section1.HasValue && Section2.HasValue && (keyBits == 64 || (Section3.HasValue && Section4.HasValue));
}
