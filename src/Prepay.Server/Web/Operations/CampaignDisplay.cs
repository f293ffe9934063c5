using System.Globalization;
using Prepay.Vending.Campaigns;

namespace Prepay.Server.Web.Operations;

/// <summary>
/// How the console shows a key change campaign: its target in words, each meter state's name and colour, and the
/// progress chart's geometry. The chart is SVG drawn on the server, one horizontal bar per group (a site, a supply
/// group) with its meters stacked by state in the order a key change goes: it needs no script (CSP) and prints.
/// </summary>
public static class CampaignDisplay
{
    /// <summary>A state as the chart and its legend show it.</summary>
    public sealed record StateLook(CampaignMeterState State, string Name, string Colour);

    /// <summary>
    /// In the order a key change goes. Okabe–Ito colours, which people with any common colour-vision deficiency
    /// tell apart; the counts are also written beside the chart and in a table, so no colour is needed to read it.
    /// </summary>
    public static readonly IReadOnlyList<StateLook> States =
    [
        new(CampaignMeterState.Planned, "Planned", "#8c959f"),
        new(CampaignMeterState.Issued, "Issued", "#e69f00"),
        new(CampaignMeterState.Delivered, "Delivered", "#56b4e9"),
        new(CampaignMeterState.Confirmed, "Confirmed", "#009e73"),
        new(CampaignMeterState.Failed, "Failed", "#d55e00"),
    ];

    /// <summary>Chart geometry in SVG user units (one unit one CSS pixel: the chart scrolls rather than shrinks its text).</summary>
    public const int Width = 640;
    public const int LabelWidth = 150;
    public const int BarWidth = 420;
    public const int RowHeight = 32;
    public const int BarHeight = 22;
    private const int LabelCharacters = 18;

    public sealed record Segment(StateLook Look, int Count, string X, string Width);

    public sealed record Bar(string Group, string Label, int Total, int Y, IReadOnlyList<Segment> Segments)
    {
        /// <summary>The bar in words, as a tooltip and for anyone who cannot tell the colours apart.</summary>
        public string Text => $"{Group}: " + string.Join(", ", Segments.Select(s => $"{s.Count} {s.Look.Name.ToLowerInvariant()}")) + $" of {Total}";
    }

    public static int Height(int bars) => Math.Max(1, bars) * RowHeight;

    public static int Count(CampaignTally tally, CampaignMeterState state) => state switch
    {
        CampaignMeterState.Planned => tally.Planned,
        CampaignMeterState.Issued => tally.Issued,
        CampaignMeterState.Delivered => tally.Delivered,
        CampaignMeterState.Confirmed => tally.Confirmed,
        CampaignMeterState.Failed => tally.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>One bar per tally, each as long as the chart (the groups' sizes are in the numbers, not the lengths).</summary>
    public static IReadOnlyList<Bar> Bars(IReadOnlyList<CampaignTally> tallies) =>
        [.. tallies.Select((t, row) => new Bar(t.Group, Label(t.Group), t.Total, row * RowHeight, Segments(t)))];

    public static string StateName(CampaignMeterState state) => States.First(s => s.State == state).Name;

    /// <summary>Where the meters go, e.g. "key revision 2, supply group 123456, tariff index 2, base date 2014".</summary>
    public static string Target(CampaignView c) =>
        $"key revision {c.ToKeyRevisionNumber}"
        + (c.ToSupplyGroupCode is { } sgc ? $", supply group {sgc}" : "")
        + (c.ToTariffIndex is { } ti ? $", tariff index {ti}" : "")
        + (c.ToBaseDate is { } bd ? $", base date {bd}" : "");

    private static List<Segment> Segments(CampaignTally tally)
    {
        var segments = new List<Segment>();
        var before = 0;
        foreach (var look in States)
        {
            var count = Count(tally, look.State);
            if (count == 0)
            {
                continue;
            }
            // Drawing only: fractions of a pixel are fine here, and each segment starts where the last one ended.
            segments.Add(new Segment(look, count, Units(LabelWidth + ((double)before * BarWidth / tally.Total)), Units((double)count * BarWidth / tally.Total)));
            before += count;
        }
        return segments;
    }

    private static string Label(string group) => group.Length <= LabelCharacters ? group : group[..(LabelCharacters - 1)] + "…";

    private static string Units(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
