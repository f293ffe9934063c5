using Microsoft.EntityFrameworkCore;
using Prepay.Storage;
using Prepay.Tariffs.Documents;

namespace Prepay.Statements.Days;

/// <summary>
/// The exact tariff version each priced interval names, parsed once per statement: an interval is itemised again with
/// the version that priced it, not the one in force today.
/// </summary>
internal sealed class TariffVersions(PrepayDb db)
{
    private readonly Dictionary<(string, int), TariffDocument> _parsed = [];

    public async Task<TariffDocument> GetAsync(string code, int version, CancellationToken ct)
    {
        if (!_parsed.TryGetValue((code, version), out var document))
        {
            var json = await db.Tariffs.AsNoTracking().Where(t => t.Code == code && t.Version == version).Select(t => t.Document).SingleAsync(ct);
            document = _parsed[(code, version)] = TariffDocumentJson.Parse(json);
        }
        return document;
    }
}
