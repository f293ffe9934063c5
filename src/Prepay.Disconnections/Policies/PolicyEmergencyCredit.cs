using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Storage;

namespace Prepay.Disconnections.Policies;

/// <summary>
/// The policy's emergency credit for a central-credit meter: its <c>emergencyCredit.amount</c> when the policy in force for
/// the household (customer, else site, else the default) states one in the meter's currency; otherwise none. A policy that
/// offers it only below some balance (<c>availableBelow</c>) is met at once here: a central balance reaches it on the way
/// down to zero.
/// </summary>
public sealed class PolicyEmergencyCredit(DisconnectionCheck check) : IEmergencyCreditAllowance
{
    public async Task<long> MinorAsync(PrepayDb db, Guid meterId, string currency, Instant at, CancellationToken ct)
    {
        var (policy, _) = await check.InForceForMeterAsync(db, meterId, at, ct);
        return policy.EmergencyCredit?.Amount is { IsPositive: true } amount && amount.Currency.Code == currency ? amount.Minor : 0;
    }
}
