using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterLink.Commands;
using Prepay.Policy.Documents;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;

namespace Prepay.Disconnections.Push;

/// <summary>
/// The policy's emergency credit as a meter that holds its own credit (in energy) keeps it: a
/// <see cref="SetThresholds"/> that sets only the emergency credit, to what the policy's amount buys at the meter's
/// tariff at the dearest hour of the local day (a quote for each hour, fixed charges taken as paid and no debt: energy
/// and its taxes), so that the credit costs no more than the amount at any hour and the setting does not change with
/// the hour; rounded down to the meter's resolution, as any purchase. None when the policy states no amount (the
/// meter keeps its own), states zero (taking emergency credit away is a cut: the gate's business, not a push's), or
/// the tariff is not known or is priced in another currency than the policy's amount.
/// </summary>
public static class EmergencyCreditSetting
{
    /// <summary>The reference of every emergency-credit setting a push queues.</summary>
    public const string Reference = "policy: emergency credit";

    public static SetThresholds? For(PolicyDocument policy, TariffDocument? tariff, long resolutionWh, Instant now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.EmergencyCredit?.Amount is not { IsPositive: true } amount || tariff is null || tariff.Currency != amount.Currency)
        {
            return null;
        }
        var date = tariff.LocalDateOf(now);
        var context = PurchaseContext.Fresh(tariff.Currency, resolutionWh) with { FixedChargesPaidThrough = date };
        Energy? least = null;
        for (var hour = 0; hour < 24; hour++)
        {
            var at = tariff.TimeZone.AtLeniently(date.At(new LocalTime(hour, 0))).ToInstant();
            if (!tariff.IsEffectiveAt(at))
            {
                continue;
            }
            var energy = TariffEngine.Quote(tariff, amount, at, context).Energy;
            if (least is not { } l || energy < l)
            {
                least = energy;
            }
        }
        return least is { } wh && wh > Energy.Zero ? new SetThresholds(null, wh) : null;
    }
}
