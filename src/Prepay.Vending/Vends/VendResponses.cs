using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Metering;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Contracts;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Vends;

/// <summary>The vend as the client and the receipt see it, made from the quote, the token and where it went.</summary>
internal static class VendResponses
{
    public static VendResponse Respond(string kind, Guid id, Meter meter, VendTarget target, Domain.Vendors.Vendor vendor, VendCommand cmd, PurchaseQuote q, IReadOnlyList<IssuedCreditToken>? tokens, long tokenId, IReadOnlyList<string>? keyChangeTokens, Instant at)
    {
        var breakdown = new VendBreakdown(
            q.Gross.ToDecimalString(),
            q.CarriedIn.ToDecimalString(),
            q.Tax.Select(t => new VendTaxLine(t.Name, t.Amount.ToDecimalString())).ToList(),
            q.FixedCharges.ToDecimalString(),
            q.DebtRecovered.ToDecimalString(),
            q.NetForEnergy.ToDecimalString(),
            q.EnergyCost.ToDecimalString(),
            q.CarriedOut.ToDecimalString(),
            q.Lines.Select(l => new VendEnergyLine(l.Label, l.Energy.WattHours, l.Rate.ToMajorString(q.Gross.Currency), l.Cost.ToDecimalString())).ToList(),
            q.IsEstimate);
        var receipt = new VendReceipt(
            target.CustomerName, target.SiteCode, target.UnitLabel, vendor.Code, vendor.Name,
            cmd.Channel ?? vendor.Channel.ToString().ToLowerInvariant(), cmd.PaymentReference,
            InstantPattern.ExtendedIso.Format(at), q.TariffCode, q.TariffVersion,
            ReceiptNumber(id));
        return new VendResponse(id, kind, meter.MeterNumber, meter.Mode.ToString().ToLowerInvariant(), cmd.Amount.ToDecimalString(), cmd.Amount.Currency.Code,
            q.Energy.WattHours, q.Energy.ToKilowattHoursString(), tokens is [var first, ..] ? first.Token : null, tokenId, breakdown, receipt, keyChangeTokens,
            tokens?.Select(t => new VendToken(t.Token, t.TokenId, t.Energy.WattHours, t.Energy.ToKilowattHoursString())).ToList());
    }

    /// <summary>A short number a person can read out: the last 12 hex digits of the vend id, in groups.</summary>
    public static string ReceiptNumber(Guid id)
    {
        var hex = id.ToString("N", CultureInfo.InvariantCulture)[^12..].ToUpperInvariant();
        return $"{hex[..4]}-{hex[4..8]}-{hex[8..]}";
    }
}
