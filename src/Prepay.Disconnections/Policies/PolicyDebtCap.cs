using Microsoft.EntityFrameworkCore;
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
        var place = await (from i in db.MeterInstallations.AsNoTracking()
                           join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
                           where i.MeterId == meterId && i.InstalledAt <= at && (i.RemovedAt == null || i.RemovedAt > at)
                           select new { p.SiteId, p.CustomerId }).FirstOrDefaultAsync(ct);
        var (policy, _) = await check.InForceAsync(db, place?.CustomerId, place?.SiteId, at, ct);
        return policy.DebtRecovery is { } cap ? Percentage.FromPercent(cap.MaxPercentOfTopUp) : null;
    }
}
