using SkiaSharp;
using Prepay.Vending.Contracts;

namespace Prepay.Server.Web.Pos;

/// <summary>
/// A vend's receipt as a PDF for an 80 mm receipt printer (or to send on), drawn with SkiaSharp's PDF back-end in
/// DejaVu Sans Mono, which ships embedded in the assembly: no font has to be installed on the server. The token is
/// printed in groups of four, large and bold, as on the printable page.
/// </summary>
public static class ReceiptPdf
{
    /// <summary>80 mm in PDF points (1/72 inch).</summary>
    public const float PageWidth = 80f / 25.4f * 72f;

    private const float Margin = 10f;
    private const float TextSize = 8.5f;
    private const float TokenSize = 12.5f;

    private static readonly Lazy<SKTypeface> Regular = new(() => Load("DejaVuSansMono.ttf"));
    private static readonly Lazy<SKTypeface> Bold = new(() => Load("DejaVuSansMono-Bold.ttf"));

    private sealed record Line(string Text, float Size, bool IsBold, bool Centered, float SpaceBefore = 0);

    public static byte[] Render(VendResponse vend, bool reprint)
    {
        var lines = Lines(vend, reprint);
        var height = Margin * 2 + lines.Sum(l => l.Size * 1.35f + l.SpaceBefore);
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = $"Electricity receipt {vend.Receipt.ReceiptNumber}",
            Author = vend.Receipt.VendorName,
            Creator = "Prepay",
            Producer = "Prepay",
        }))
        {
            var canvas = document.BeginPage(PageWidth, height);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            var y = Margin;
            foreach (var line in lines)
            {
                y += line.SpaceBefore + line.Size * 1.35f;
                using var font = new SKFont(line.IsBold ? Bold.Value : Regular.Value, line.Size);
                var x = line.Centered ? (PageWidth - font.MeasureText(line.Text)) / 2 : Margin;
                canvas.DrawText(line.Text, x, y - line.Size * 0.3f, font, paint);
            }
            document.EndPage();
            document.Close();
        }
        return stream.ToArray();
    }

    private static List<Line> Lines(VendResponse v, bool reprint)
    {
        var lines = new List<Line> { new("ELECTRICITY RECEIPT", 11f, true, true) };
        if (reprint)
        {
            lines.Add(new("*** REPRINT ***", TextSize + 1, true, true, 2));
        }
        if (v.KeyChangeTokens is { Count: > 0 } keyChange)
        {
            lines.AddRange(Wrap("Your meter is moving to a new key. First enter any token you bought earlier and have not entered yet: after the key change it no longer works.", false, 6));
            lines.Add(new("Then enter these key change tokens:", TextSize, false, false, 4));
            lines.AddRange(keyChange.Select(t => new Line(TokenFormat.Grouped(t), TokenSize - 2, true, true, 2)));
        }
        if (v.Tokens is { Count: > 1 } several)
        {
            lines.Add(new($"Enter these {several.Count} tokens, in order:", TextSize, false, false, 6));
            for (int i = 0; i < several.Count; i++)
            {
                lines.Add(new(TokenFormat.Grouped(several[i].Token), TokenSize, true, true, 3));
                lines.Add(new($"Token {i + 1} of {several.Count}: {several[i].EnergyKwh} kWh", TextSize, false, true, 1));
            }
        }
        else if (v.Token is not null)
        {
            lines.Add(new("Enter this token on your meter:", TextSize, false, false, 6));
            lines.Add(new(TokenFormat.Grouped(v.Token), TokenSize, true, true, 3));
        }
        else
        {
            lines.AddRange(Wrap($"Credit of {v.EnergyKwh} kWh sent to the smart meter; no token to enter.", false, 6));
        }
        var facts = new List<(string Label, string Value)>
        {
            ("Customer", v.Receipt.CustomerName),
            ("Meter", v.MeterNumber),
        };
        if (v.Receipt.Site is not null)
        {
            facts.Add(("Site/room", $"{v.Receipt.Site} {v.Receipt.Unit}"));
        }
        facts.Add(("Paid", $"{v.Currency} {v.Amount}"));
        facts.Add(("Energy", $"{v.EnergyKwh} kWh"));
        facts.AddRange(v.Breakdown.Taxes.Select(t => (t.Name, $"{v.Currency} {t.Amount}")));
        if (v.Breakdown.DebtRecovered != "0.00")
        {
            facts.Add(("Debt recovered", $"{v.Currency} {v.Breakdown.DebtRecovered}"));
        }
        if (v.Breakdown.FixedCharges != "0.00")
        {
            facts.Add(("Fixed charges", $"{v.Currency} {v.Breakdown.FixedCharges}"));
        }
        facts.Add(("Tariff", $"{v.Receipt.TariffCode} v{v.Receipt.TariffVersion}"));
        facts.Add(("Sold by", v.Receipt.VendorName));
        facts.Add(("Receipt", v.Receipt.ReceiptNumber));
        facts.Add(("Time", v.Receipt.At));
        var first = true;
        foreach (var (label, value) in facts)
        {
            lines.AddRange(Wrap($"{label}: {value}", false, first ? 8 : 0));
            first = false;
        }
        lines.Add(new("Keep this receipt.", TextSize, false, true, 8));
        return lines;
    }

    /// <summary>Breaks text at spaces to the page width (a monospaced font: every character is as wide as the next).</summary>
    private static IEnumerable<Line> Wrap(string text, bool bold, float spaceBefore)
    {
        using var font = new SKFont(Regular.Value, TextSize);
        var perLine = Math.Max(10, (int)((PageWidth - 2 * Margin) / font.MeasureText("0")));
        var current = "";
        foreach (var word in text.Split(' '))
        {
            var piece = word;
            while (piece.Length > perLine)
            {
                if (current.Length > 0)
                {
                    yield return new Line(current, TextSize, bold, false, spaceBefore);
                    spaceBefore = 0;
                    current = "";
                }
                yield return new Line(piece[..perLine], TextSize, bold, false, spaceBefore);
                spaceBefore = 0;
                piece = piece[perLine..];
            }
            var next = current.Length == 0 ? piece : current + " " + piece;
            if (next.Length > perLine)
            {
                yield return new Line(current, TextSize, bold, false, spaceBefore);
                spaceBefore = 0;
                next = piece;
            }
            current = next;
        }
        if (current.Length > 0)
        {
            yield return new Line(current, TextSize, bold, false, spaceBefore);
        }
    }

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(ReceiptPdf).Assembly.GetManifestResourceStream("Prepay.Server.Web.Pos.Fonts." + file)
            ?? throw new InvalidOperationException($"The receipt font {file} is missing from the assembly.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The receipt font {file} could not be read.");
    }
}
