using NodaTime;
using Prepay.Storage;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// How far below zero a central balance may run before a disconnection is asked for: the emergency credit that the
/// disconnection policy in force for the meter's household offers, in minor units of the meter's currency (0: none).
/// <c>Prepay.Disconnections</c> knows the policy and registers it. While the balance is above that floor the customer
/// runs on emergency credit; the next top-ups repay it first, as they raise the balance.
/// </summary>
public interface IEmergencyCreditAllowance
{
    Task<long> MinorAsync(PrepayDb db, Guid meterId, string currency, Instant at, CancellationToken ct);
}
