namespace Prepay.MeterData.Validation;

/// <summary>How far a stored interval can be trusted; stored beside it (<c>readings.quality</c>).</summary>
public enum ReadingQuality
{
    /// <summary>Measured, and every rule passed.</summary>
    Valid,

    /// <summary>Made up for a gap; replaced when the real values arrive.</summary>
    Estimated,

    /// <summary>Set by an operator with a reason.</summary>
    Edited,

    /// <summary>Measured, but a rule failed (the rule is stored with it); not priced until an operator edits or accepts it.</summary>
    Suspect,
}

public static class ReadingQualities
{
    /// <summary>The word stored and shown for <paramref name="quality"/>.</summary>
    public static string Text(this ReadingQuality quality) => quality switch
    {
        ReadingQuality.Valid => "valid",
        ReadingQuality.Estimated => "estimated",
        ReadingQuality.Edited => "edited",
        ReadingQuality.Suspect => "suspect",
        _ => throw new ArgumentOutOfRangeException(nameof(quality)),
    };

    public static bool TryParse(string? text, out ReadingQuality quality)
    {
        foreach (var q in Enum.GetValues<ReadingQuality>())
        {
            if (string.Equals(q.Text(), text, StringComparison.Ordinal))
            {
                quality = q;
                return true;
            }
        }
        quality = default;
        return false;
    }
}
