using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Vending;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Models;

/// <summary>What an admin asks: the meter's credit model from an instant, and why.</summary>
public sealed record CreditModelChange(string MeterNumber, CreditModel Model, Instant EffectiveFrom, string Reason);

/// <summary>The named outcomes of a credit model switch.</summary>
public abstract record CreditModelSwitchOutcome
{
    private CreditModelSwitchOutcome()
    {
    }

    /// <param name="CarriedInMinor">The meter's reported credit carried into its central balance (switch to central), in minor units.</param>
    public sealed record Switched(string MeterNumber, CreditModel Model, Instant EffectiveFrom, long CarriedInMinor, long CarriedInWh, string Currency) : CreditModelSwitchOutcome;

    /// <summary>The meter already holds its credit that way: nothing was written.</summary>
    public sealed record Unchanged(string MeterNumber, CreditModel Model) : CreditModelSwitchOutcome;

    public sealed record MeterNotFound(string MeterNumber) : CreditModelSwitchOutcome;

    /// <summary>A switch dated at or before the meter's latest switch: history is only appended to.</summary>
    public sealed record NotAfterLatest(Instant Latest) : CreditModelSwitchOutcome;

    /// <summary>Central credit needs a tariff in force at the switch to price consumption and value the carried credit.</summary>
    public sealed record NoTariff(string MeterNumber) : CreditModelSwitchOutcome;

    public sealed record Invalid(string Reason) : CreditModelSwitchOutcome;
}

/// <summary>
/// Switches where a meter's credit is held, from a date, audited (<c>credit-model.switch</c>), in one write transaction:
/// the <c>meter_credit_models</c> row, the meter's <c>central_credit_states</c> row (which readings the worker prices),
/// and, on a switch to central, the meter's last reported credit (<c>meter_status.credit_wh</c>) carried into the
/// central balance valued at the tariff in force at the switch (<see cref="CarriedCredit"/>): the energy is unsold, so
/// its revenue and taxes move back into the central balance in a balanced <c>CreditCarriedIn</c> transaction. A switch
/// back to the meter stops pricing at its date and leaves the central balance as it is (refunding or vending it is a
/// separate, two-person decision).
/// </summary>
public sealed class CreditModelSwitch(IServiceScopeFactory scopes, IClock clock, LedgerStore ledger, TariffCatalog tariffs)
{
    public async Task<CreditModelSwitchOutcome> SwitchAsync(CreditModelChange change, Actor actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(change.Reason) || change.Reason.Length > 500)
        {
            return new CreditModelSwitchOutcome.Invalid("A reason of 1 to 500 characters is required.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == change.MeterNumber, ct);
        if (meter is null)
        {
            return new CreditModelSwitchOutcome.MeterNotFound(change.MeterNumber);
        }
        var current = await Storage.Queries.CreditModels.AtAsync(db, meter.Id, Instant.MaxValue, ct);
        if ((current?.Model ?? MeterCreditModelRecord.InMeter) == CreditModelText.Stored(change.Model))
        {
            return new CreditModelSwitchOutcome.Unchanged(meter.MeterNumber, change.Model);
        }
        if (current is not null && change.EffectiveFrom <= current.EffectiveFrom)
        {
            return new CreditModelSwitchOutcome.NotAfterLatest(current.EffectiveFrom);
        }
        CarriedCredit? carried = null;
        if (change.Model == CreditModel.Central)
        {
            var tariff = await tariffs.ForMeterAsync(db, meter.Id, change.EffectiveFrom, ct);
            if (tariff is null)
            {
                return new CreditModelSwitchOutcome.NoTariff(meter.MeterNumber);
            }
            var reported = await db.MeterStatus.AsNoTracking().Where(s => s.MeterId == meter.Id).Select(s => s.CreditWh).FirstOrDefaultAsync(ct);
            carried = CarriedCredit.Value(tariff, new Energy(Math.Max(0, reported ?? 0)), change.EffectiveFrom);
            await ledger.EnsureAsync(db, [AccountCode.MeterCentralCredit(meter.Id, meter.Currency), AccountCode.EnergyRevenue(meter.Currency),
                .. tariff.Taxes.Select(t => AccountCode.Tax(t.Name, meter.Currency))], ct);
        }

        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        Guid? transactionId = null;
        if (carried is { Total.IsZero: false })
        {
            transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
            var central = AccountCode.MeterCentralCredit(meter.Id, meter.Currency);
            var builder = new LedgerTransaction.Builder(transactionId.Value, TransactionKind.CreditCarriedIn, $"credit of meter {meter.MeterNumber} carried in")
                .Move(AccountCode.EnergyRevenue(meter.Currency), central, carried.Revenue);
            foreach (var tax in carried.Taxes)
            {
                builder.Move(AccountCode.Tax(tax.Name, meter.Currency), central, tax.Amount);
            }
            await ledger.AddAsync(db, builder.Build(), now, $"central-credit/{meter.Id:N}", ct);
        }
        db.MeterCreditModels.Add(new MeterCreditModelRecord
        {
            MeterId = meter.Id,
            Model = CreditModelText.Stored(change.Model),
            EffectiveFrom = change.EffectiveFrom,
            Actor = actor.AuditName,
            Reason = change.Reason,
            RecordedAt = now,
            CarriedInMinor = carried?.Total.Minor ?? 0,
            TransactionId = transactionId,
        });
        var state = await db.CentralCreditStates.FirstOrDefaultAsync(s => s.MeterId == meter.Id, ct);
        if (change.Model == CreditModel.Central)
        {
            if (state is null)
            {
                db.CentralCreditStates.Add(new CentralCreditStateRecord { MeterId = meter.Id, PricedFrom = change.EffectiveFrom, ChangedAt = now });
            }
            else
            {
                state.PricedFrom = change.EffectiveFrom;
                state.PricedUntil = null;
                state.ChangedAt = now;
            }
        }
        else if (state is not null)
        {
            state.PricedUntil = change.EffectiveFrom;
            state.ChangedAt = now;
        }
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName,
            ActorId = actor.AuditId,
            Action = "credit-model.switch",
            Target = $"meter/{meter.MeterNumber}",
            Details = $"{CreditModelText.Stored(change.Model)} from {change.EffectiveFrom}; carried in {carried?.Total.Minor ?? 0} minor units for {carried?.Energy.WattHours ?? 0} Wh; {change.Reason}",
        });
        await db.SaveChangesAsync(ct);
        if (change.Model == CreditModel.Central)
        {
            await Worker.UnpricedWork.QueueStoredAsync(db, meter.Id, change.EffectiveFrom, ct);
        }
        await tx.CommitAsync(ct);
        return new CreditModelSwitchOutcome.Switched(meter.MeterNumber, change.Model, change.EffectiveFrom, carried?.Total.Minor ?? 0, carried?.Energy.WattHours ?? 0, meter.Currency);
    }
}
