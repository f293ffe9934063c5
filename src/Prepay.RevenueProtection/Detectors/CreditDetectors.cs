using System.Globalization;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Detectors;

/// <summary>
/// Ghost vending: credit sold in the ledger tied to credit the meter registered. A registration is matched to its sale
/// by the vend its command carried, else by the token's id. A token that names neither (a keypad's <c>tokenAccepted</c>
/// says only its energy) is matched after those, per sale: a sale may be several tokens (Vending's <c>CreditSplit</c>
/// above 1 638.3 kWh), so it is entered when tokens accepted after it and not matched yet add up to its energy, the
/// one token of that energy if there is one, else the earliest few that sum to it; a token of no energy (a key change,
/// a management token) carries no credit and explains or needs nothing. What is left on either side is a finding,
/// each one on its own record: a sale older than its grace with no registration, a registration no sale explains.
/// Token ids must rise with the sales; one that does not is out of sequence.
/// </summary>
internal static class CreditDetectors
{
    public static IEnumerable<Finding> Ghosts(string site, MeterObservations m, Interval window, DetectionOptions o)
    {
        var asOf = window.End;
        var sales = m.Sales.OrderBy(s => s.At).ToList();
        var unmatched = new List<SalePoint>(sales);
        var unexplained = new List<RegisteredCredit>();
        var tokens = new List<RegisteredCredit>();
        foreach (var r in m.Registered.OrderBy(r => r.At))
        {
            if (r.VendId is null && r.TokenId is null)
            {
                if (r.Energy > Energy.Zero)
                {
                    tokens.Add(r);
                }
                continue;
            }
            var sale = r.VendId is { } vend ? unmatched.Find(s => s.VendId == vend) : unmatched.Find(s => s.TokenId == r.TokenId);
            if (sale is null)
            {
                unexplained.Add(r);
            }
            else
            {
                unmatched.Remove(sale);
            }
        }
        // Whole tokens first, for every sale, then the sums for those left: else a sale never entered could take the
        // tokens of two later ones that happen to add up to it, and both would be found instead of it.
        foreach (var whole in new[] { true, false })
        {
            foreach (var sale in unmatched.ToList())
            {
                if (TokensOf(sale, tokens, whole) is { } entered)
                {
                    unmatched.Remove(sale);
                    entered.ForEach(t => tokens.Remove(t));
                }
            }
        }
        unexplained = [.. unexplained.Concat(tokens).OrderBy(r => r.At)];
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

    // Tokens of one sale are typed together, so only the earliest few accepted after it are tried: bounded, whatever
    // the meter's history. More than four tokens a sale is above 1 820 162.4 kWh: not a household's.
    private const int TokensTried = 16;
    private const int MostTokensPerSale = 4;

    /// <summary>
    /// The tokens, accepted after <paramref name="sale"/> and in <paramref name="tokens"/> (time order), that make up
    /// its energy: the earliest of exactly its energy (<paramref name="whole"/>), else the earliest set of two to
    /// <see cref="MostTokensPerSale"/> that add up to it; null if none does.
    /// </summary>
    private static List<RegisteredCredit>? TokensOf(SalePoint sale, List<RegisteredCredit> tokens, bool whole)
    {
        if (sale.Energy == Energy.Zero)
        {
            return []; // all of it went to debt: its token carries nothing, and typed or not the meter is owed nothing
        }
        if (whole)
        {
            return tokens.Find(t => t.At >= sale.At && t.Energy == sale.Energy) is { } one ? [one] : null;
        }
        var tried = tokens.Where(t => t.At >= sale.At && t.Energy < sale.Energy).Take(TokensTried).ToList();
        var picked = new List<RegisteredCredit>();
        return AddUpTo(0, sale.Energy.WattHours) ? picked : null;

        bool AddUpTo(int from, long left)
        {
            if (left == 0)
            {
                return true;
            }
            for (var i = from; i < tried.Count && picked.Count < MostTokensPerSale; i++)
            {
                if (tried[i].Energy.WattHours <= left)
                {
                    picked.Add(tried[i]);
                    if (AddUpTo(i + 1, left - tried[i].Energy.WattHours))
                    {
                        return true;
                    }
                    picked.RemoveAt(picked.Count - 1);
                }
            }
            return false;
        }
    }

    private static Evidence Sale(SalePoint s) => new(EvidenceKind.Sale, s.At, s.VendId, $"{s.Energy.WattHours} Wh" + (s.TokenId is { } t ? $", token id {t}" : ""));
}
