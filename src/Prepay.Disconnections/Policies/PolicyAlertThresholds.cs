using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Alerts.Producers;
using Prepay.Storage;

namespace Prepay.Disconnections.Policies;

/// <summary>The alert thresholds of the policy in force for the meter's household (customer, else site, else the default).</summary>
public sealed class PolicyAlertThresholds(DisconnectionCheck check) : IPolicyAlertThresholds
{
    public async Task<IReadOnlyList<int>> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var (policy, _) = await check.InForceForMeterAsync(db, meterId, at, ct);
        return policy.Alerts.PercentOfLastTopUp;
    }
}
