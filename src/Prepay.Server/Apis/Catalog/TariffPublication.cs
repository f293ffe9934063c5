using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Tariffs.Documents;
using Prepay.Vending.Pricing;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

/// <summary>
/// Publishing a tariff version, for the API and the console alike: the document must parse, its version must be
/// above every published one of its code, and the version, its audit record and the catalog's forgetting go together.
/// </summary>
public static class TariffPublication
{
    public abstract record Outcome
    {
        public sealed record Published(TariffSummary Tariff) : Outcome;

        /// <summary>The document is not a valid tariff: the field (JSON path) and what is wrong with it.</summary>
        public sealed record Invalid(string Field, string Message) : Outcome;

        /// <summary>The version is not above the last published one (or was published meanwhile).</summary>
        public sealed record VersionExists(string Detail) : Outcome;
    }

    public static async Task<Outcome> PublishAsync(PrepayDb db, IClock clock, TariffCatalog catalog, string document, string auditActor, CancellationToken ct)
    {
        TariffDocument doc;
        try
        {
            doc = TariffDocumentJson.Parse(document);
        }
        catch (TariffFormatException e)
        {
            return new Outcome.Invalid(string.IsNullOrEmpty(e.Field) ? "document" : e.Field, e.Message);
        }
        var latest = await db.Tariffs.Where(t => t.Code == doc.Code).MaxAsync(t => (int?)t.Version, ct);
        if (latest is { } last && doc.Version <= last)
        {
            return new Outcome.VersionExists($"Tariff '{doc.Code}' is at version {last}; publish version {last + 1} or higher.");
        }
        var now = clock.GetCurrentInstant();
        db.Tariffs.Add(new TariffVersion
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Code = doc.Code,
            Version = doc.Version,
            EffectiveFrom = doc.EffectiveFrom,
            Currency = doc.Currency.Code,
            Document = TariffDocumentJson.Serialize(doc),
            CreatedAt = now,
        });
        db.Audit.Add(new AuditRecord { At = now, Actor = auditActor, Action = "tariff.publish", Target = $"tariff/{doc.Code}/{doc.Version}", Details = doc.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (WriteTransactions.IsUniqueViolation(e))
        {
            return new Outcome.VersionExists($"Version {doc.Version} of tariff '{doc.Code}' was published meanwhile.");
        }
        catalog.ForgetTariff(doc.Code);
        return new Outcome.Published(new TariffSummary(doc.Code, doc.Version, doc.Name, doc.EffectiveFrom, doc.Currency.Code));
    }
}
