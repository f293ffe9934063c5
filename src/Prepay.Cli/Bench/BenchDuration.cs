using System.Globalization;

namespace Prepay.Cli.Bench;

/// <summary>A duration as a bench option takes it: <c>500ms</c>, <c>30s</c>, <c>2m</c>, or a bare number of seconds.</summary>
public static class BenchDuration
{
    /// <summary>The duration, or null when <paramref name="text"/> is not one (or is not positive).</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : (t, 1.0);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 86_400_000)
        {
            return null;
        }
        return TimeSpan.FromSeconds(n * unit);
    }

    /// <summary>The shortest of <c>250ms</c>, <c>30s</c>, <c>2m</c> that says it exactly.</summary>
    public static string Format(TimeSpan d) =>
        d.TotalSeconds % 60 == 0 && d >= TimeSpan.FromMinutes(1) ? $"{d.TotalMinutes:0}m"
        : d.TotalMilliseconds % 1000 == 0 ? $"{d.TotalSeconds:0}s"
        : $"{d.TotalMilliseconds:0}ms";
}
