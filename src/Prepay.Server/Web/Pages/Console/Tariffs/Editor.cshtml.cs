using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Server.Apis.Catalog;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Web.Pages.Operations.Tariffs;

/// <summary>
/// A tariff's versions and its editor: the JSON document (see Prepay.Tariffs' README), drafted from the latest
/// version with the next version number; the effective date field sets the draft's <c>effectiveFrom</c>. "Preview"
/// quotes an amount under the draft without writing anything; "Publish" makes it a new version, through the same
/// publication as the API, and shows the document's first problem (its JSON path) when there is one.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class EditorModel(PrepayDb db, IClock clock, TariffCatalog catalog, OperatorZone zones) : PageModel
{
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record VersionRow(int Version, string Name, LocalDate EffectiveFrom, Instant PublishedAt);

    public string Code { get; private set; } = "";

    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    [BindProperty]
    public string? Document { get; set; }

    [BindProperty]
    public string? EffectiveFrom { get; set; }

    [BindProperty]
    public string? Amount { get; set; } = "100.00";

    public (string Field, string Message)? Problem { get; private set; }

    public PurchaseQuote? Quote { get; private set; }

    public string? Published { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, int? published, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct))
        {
            return NotFound();
        }
        var latest = await db.Tariffs.AsNoTracking().Where(t => t.Code == code).OrderByDescending(t => t.Version).FirstAsync(ct);
        var doc = TariffDocumentJson.Parse(latest.Document);
        var draft = JsonNode.Parse(TariffDocumentJson.Serialize(doc))!.AsObject();
        draft["version"] = latest.Version + 1;
        var tomorrow = doc.LocalDateOf(clock.GetCurrentInstant()).PlusDays(1);
        EffectiveFrom = DatePattern.Format(tomorrow);
        draft["effectiveFrom"] = EffectiveFrom;
        Document = draft.ToJsonString(Indented);
        if (published is { } v)
        {
            Published = $"Version {v} of {code} is published.";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct))
        {
            return NotFound();
        }
        var text = WithEffectiveDate();
        if (text is null)
        {
            return Page();
        }
        TariffDocument doc;
        try
        {
            doc = TariffDocumentJson.Parse(text);
        }
        catch (TariffFormatException e)
        {
            Problem = (string.IsNullOrEmpty(e.Field) ? "document" : e.Field, e.Message);
            return Page();
        }
        var amount = Money.TryParse(Amount?.Trim(), doc.Currency);
        if (!amount.Success || !amount.Value.IsPositive)
        {
            Problem = ("amount", amount.Success ? "must be greater than zero" : amount.Error!);
            return Page();
        }
        // Quoted as a purchase on the day the draft takes effect (or now, if that is later), by a first-time buyer.
        var from = doc.EffectiveFrom.AtStartOfDayInZone(doc.TimeZone).ToInstant();
        var now = clock.GetCurrentInstant();
        Quote = TariffEngine.Quote(doc, amount.Value, from > now ? from : now, PurchaseContext.Fresh(doc.Currency));
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(string code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct))
        {
            return NotFound();
        }
        var text = WithEffectiveDate();
        if (text is null)
        {
            return Page();
        }
        switch (await TariffPublication.PublishAsync(db, clock, catalog, text, StaffActor.AuditName(User), ct))
        {
            case TariffPublication.Outcome.Published p:
                return Redirect($"/console/tariffs/{Uri.EscapeDataString(p.Tariff.Code)}?published={p.Tariff.Version}");
            case TariffPublication.Outcome.Invalid i:
                Problem = (i.Field, i.Message);
                return Page();
            case TariffPublication.Outcome.VersionExists v:
                Problem = ("version", v.Detail);
                return Page();
            default:
                throw new InvalidOperationException("Unhandled publication outcome.");
        }
    }

    /// <summary>The draft with the date field written into it; null (and a problem shown) when either is unreadable.</summary>
    private string? WithEffectiveDate()
    {
        if (string.IsNullOrWhiteSpace(Document))
        {
            Problem = ("document", "is empty: write the tariff document here");
            return null;
        }
        if (string.IsNullOrWhiteSpace(EffectiveFrom))
        {
            return Document;
        }
        var date = DatePattern.Parse(EffectiveFrom.Trim());
        if (!date.Success)
        {
            Problem = ("effectiveFrom", "must be a date such as 2026-12-01");
            return null;
        }
        try
        {
            if (JsonNode.Parse(Document) is JsonObject draft)
            {
                draft["effectiveFrom"] = DatePattern.Format(date.Value);
                Document = draft.ToJsonString(Indented);
            }
        }
        catch (JsonException)
        {
            // Left as typed: the tariff reader names what is wrong with it.
        }
        return Document;
    }

    private async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        var versions = await db.Tariffs.AsNoTracking().Where(t => t.Code == code).OrderByDescending(t => t.Version).ToListAsync(ct);
        if (versions.Count == 0)
        {
            return false;
        }
        Code = code;
        Zone = await zones.ZoneAsync(db, ct);
        Versions = [.. versions.Select(v => new VersionRow(v.Version, TariffDocumentJson.Parse(v.Document).Name, v.EffectiveFrom, v.CreatedAt))];
        return true;
    }
}
