using NodaTime;
using Prepay.Storage;
using Prepay.Tariffs.Rates;
using Prepay.Vending.Debts;

namespace Prepay.Disconnections.Policies;

/// <summary>
/// "The most a top-up may take for debt" from the disconnection policy in force for the meter's household (customer,
/// else site, else the default, as <see cref="DisconnectionCheck.InForceAsync"/> finds it); none when the policy
/// states no limit.
/// </summary>
public sealed class PolicyDebtCap(DisconnectionCheck check) : ITopUpDebtCap
{
    public async Task<Percentage?> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var (policy, _) = await check.InForceForMeterAsync(db, meterId, at, ct);
        return policy.DebtRecovery is { } cap ? Percentage.FromPercent(cap.MaxPercentOfTopUp) : null;
    }
}
