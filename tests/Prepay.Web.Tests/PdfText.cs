using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Prepay.Web.Tests;

/// <summary>
/// Reads the text back out of a generated PDF, enough to check what a receipt says: every stream is inflated, the
/// fonts' ToUnicode maps (bfchar and bfrange) are read, and the hex glyph strings of the page content are decoded
/// with each map in turn. A test then looks for its text in any of the decodings.
/// </summary>
public static partial class PdfText
{
    [GeneratedRegex(@"(?<!end)stream\r?\n")]
    private static partial Regex StreamStart();

    [GeneratedRegex(@"^\s*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]+)>\s*$", RegexOptions.Multiline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"^\s*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]+)>\s*$", RegexOptions.Multiline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"begin(bfchar|bfrange)(.*?)end\1", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>")]
    private static partial Regex HexString();

    public static IReadOnlyList<string> Decodings(byte[] pdf)
    {
        var raw = Encoding.Latin1.GetString(pdf);
        var maps = new List<Dictionary<int, string>>();
        var contents = new List<string>();
        foreach (Match m in StreamStart().Matches(raw))
        {
            var start = m.Index + m.Length;
            var end = raw.IndexOf("endstream", start, StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }
            var text = Inflate(pdf.AsSpan(start, end - start).ToArray()) ?? raw[start..end];
            if (text.Contains("begincmap", StringComparison.Ordinal))
            {
                maps.Add(ReadMap(text));
            }
            else if (text.Contains("Tj", StringComparison.Ordinal) || text.Contains("TJ", StringComparison.Ordinal))
            {
                contents.Add(text);
            }
        }
        return maps.Select(map => string.Concat(contents.Select(c => Decode(c, map)))).ToList();
    }

    private static string Decode(string content, Dictionary<int, string> map)
    {
        var text = new StringBuilder();
        foreach (Match m in HexString().Matches(content))
        {
            var hex = m.Groups[1].Value;
            for (var i = 0; i + 4 <= hex.Length; i += 4)
            {
                text.Append(map.GetValueOrDefault(int.Parse(hex.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture), "?"));
            }
        }
        return text.ToString();
    }

    private static Dictionary<int, string> ReadMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        var ranges = string.Concat(Section().Matches(cmap).Where(m => m.Groups[1].Value == "bfrange").Select(m => m.Groups[2].Value));
        var chars = string.Concat(Section().Matches(cmap).Where(m => m.Groups[1].Value == "bfchar").Select(m => m.Groups[2].Value + "\n"));
        foreach (Match m in BfRange().Matches(ranges))
        {
            var from = Hex(m.Groups[1].Value);
            var to = Hex(m.Groups[2].Value);
            var first = Hex(m.Groups[3].Value);
            for (var g = from; g <= to; g++)
            {
                map[g] = char.ConvertFromUtf32(first + g - from);
            }
        }
        foreach (Match m in BfChar().Matches(chars))
        {
            var unicode = m.Groups[2].Value;
            map.TryAdd(Hex(m.Groups[1].Value), unicode.Length == 4 ? char.ConvertFromUtf32(Hex(unicode)) : "?");
        }
        return map;
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string? Inflate(byte[] data)
    {
        try
        {
            using var input = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return Encoding.Latin1.GetString(output.ToArray());
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
