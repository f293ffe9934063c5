using System.Globalization;
using NodaTime;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Detectors;

/// <summary>
/// Ghost vending: credit sold in the ledger tied to credit the meter registered. A registration is matched to its sale
/// by the vend its command carried, else by the token's id, else (a meter that reports a token's energy but not its id)
/// to the earliest sale before it of the same energy not matched yet. What is left on either side is a finding, each
/// one on its own record: a sale older than its grace with no registration, a registration no sale explains. Token ids
/// must rise with the sales; one that does not is out of sequence.
/// </summary>
internal static class CreditDetectors
{
    public static IEnumerable<Finding> Ghosts(string site, MeterObservations m, Interval window, DetectionOptions o)
    {
        var asOf = window.End;
        var sales = m.Sales.OrderBy(s => s.At).ToList();
        var unmatched = new List<SalePoint>(sales);
        var unexplained = new List<RegisteredCredit>();
        foreach (var r in m.Registered.OrderBy(r => r.At))
        {
            var sale = r.VendId is { } vend ? unmatched.Find(s => s.VendId == vend)
                : r.TokenId is { } tid ? unmatched.Find(s => s.TokenId == tid)
                : unmatched.Find(s => s.At <= r.At && s.Energy == r.Energy);
            if (sale is null)
            {
                unexplained.Add(r);
            }
            else
            {
                unmatched.Remove(sale);
            }
        }
        foreach (var r in unexplained.Where(r => window.Contains(r.At)))
        {
            yield return new Finding(FindingKind.UnexplainedCredit, site, m.Meter, new Interval(r.At, r.At + Duration.Epsilon), 90,
                $"{r.Energy.WattHours} Wh registered by the meter that no sale explains",
                [new Evidence(EvidenceKind.Registration, r.At, r.VendId ?? r.TokenId?.ToString(CultureInfo.InvariantCulture) ?? "token", $"{r.Energy.WattHours} Wh")]);
        }
        var late = unmatched.Where(s => window.Contains(s.At)).ToList();
        if (m.Path == CreditPath.Keypad && !m.ReportsTokens)
        {
            if (late.Count > 0)
            {
                yield return new Finding(FindingKind.FieldAudit, site, m.Meter, new Interval(late[0].At, asOf), 50,
                    $"{late.Count} token(s) sold to a meter that does not report tokens: check the meter's token log on site",
                    [.. late.Select(Sale)]);
            }
        }
        else
        {
            var grace = m.Path == CreditPath.Smart ? o.RegistrationGrace : o.TokenEntryGrace;
            var kind = m.Path == CreditPath.Smart ? FindingKind.CreditNotRegistered : FindingKind.TokenNeverEntered;
            // Judged only while the meter was still heard from after the grace: a silent meter's acknowledgements and
            // token reports cannot arrive (that is a meter that stopped reporting, found as such).
            var heardUntil = m.Readings.Count > 0 ? m.Readings.Max(r => r.At) : window.Start;
            foreach (var s in late.Where(s => asOf - s.At >= grace && s.At + grace <= heardUntil))
            {
                yield return new Finding(kind, site, m.Meter, new Interval(s.At, asOf), Math.Min(95, 70 + (int)((asOf - s.At) / grace * 5)),
                    m.Path == CreditPath.Smart
                        ? $"vend {s.VendId}: {s.Energy.WattHours} Wh sold, never acknowledged by the meter"
                        : $"vend {s.VendId}: token {s.TokenId} sold, never entered on the meter",
                    [Sale(s)]);
            }
        }
        long? highest = null;
        foreach (var s in sales.Where(s => s.TokenId is not null))
        {
            if (highest is { } h && s.TokenId <= h && window.Contains(s.At))
            {
                yield return new Finding(FindingKind.TokenOutOfSequence, site, m.Meter, new Interval(s.At, s.At + Duration.Epsilon), 85,
                    $"vend {s.VendId}: token id {s.TokenId} is not after {h}, an earlier sale's", [Sale(s)]);
            }
            highest = highest is { } top && top > s.TokenId!.Value ? top : s.TokenId;
        }
    }

    private static Evidence Sale(SalePoint s) => new(EvidenceKind.Sale, s.At, s.VendId, $"{s.Energy.WattHours} Wh" + (s.TokenId is { } t ? $", token id {t}" : ""));
}
