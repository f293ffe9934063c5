using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Commands;
using Prepay.Ledger.Accounts;
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

    /// <summary>
    /// Recorded and the meter told. To central, nothing is carried in yet: that waits for the meter's handover
    /// (<see cref="CreditHandovers"/>). Back to the meter: the central balance sold to it, <paramref name="CarriedOutMinor"/>
    /// for <paramref name="CarriedOutWh"/> of credit.
    /// </summary>
    public sealed record Switched(string MeterNumber, CreditModel Model, Instant EffectiveFrom, long CarriedOutMinor, long CarriedOutWh, string Currency) : CreditModelSwitchOutcome;

    /// <summary>The meter already holds its credit that way: nothing was written.</summary>
    public sealed record Unchanged(string MeterNumber, CreditModel Model) : CreditModelSwitchOutcome;

    public sealed record MeterNotFound(string MeterNumber) : CreditModelSwitchOutcome;

    /// <summary>A switch dated at or before the meter's latest switch: history is only appended to.</summary>
    public sealed record NotAfterLatest(Instant Latest) : CreditModelSwitchOutcome;

    /// <summary>Central credit needs a tariff in force at the switch to price consumption and value the carried credit.</summary>
    public sealed record NoTariff(string MeterNumber) : CreditModelSwitchOutcome;

    /// <summary>
    /// The meter cannot be told to stop counting its own credit down: a keypad meter without a link, or a DLMS meter
    /// (this head-end writes no object of its credit account). Central credit on it would charge the customer twice.
    /// </summary>
    public sealed record NoCentralMode(string MeterNumber, string Why) : CreditModelSwitchOutcome;

    public sealed record Invalid(string Field, string Reason) : CreditModelSwitchOutcome;
}

/// <summary>
/// Switches where a meter's credit is held, from a date, audited (<c>credit-model.switch</c>), in one write transaction.
/// To central: the <c>meter_credit_models</c> row and a <c>setCreditMode</c> command. The meter keeps counting its own
/// credit down until the first boundary of its reading interval at or after the date, then hands its register over;
/// <see cref="CreditHandovers"/> carries it into the central balance and starts pricing from that boundary, so no
/// interval is paid for twice and the meter never cuts itself while the server holds the balance. Only MQTT meters
/// take the command (<see cref="CreditModelSwitchOutcome.NoCentralMode"/>). Back to the meter (dated now or earlier):
/// pricing stops at the date, and the central balance as it stands is sold to the meter at the tariff's prices
/// (<see cref="CarriedCredit.Sold"/>, a balanced <c>CreditCarriedOut</c> transaction), the credit it starts from in the
/// same <c>setCreditMode</c>: the customer keeps supply and every minor unit. What readings priced after the switch
/// change (late ones from before it) stays on the central balance, shown on its statement.
/// </summary>
public sealed class CreditModelSwitch(IServiceScopeFactory scopes, IClock clock, LedgerStore ledger, TariffCatalog tariffs, CommandDispatcher dispatcher)
{
    /// <summary>The reference on the <c>setCreditMode</c> a switch queues.</summary>
    public const string CommandReference = "credit-model: switch";

    /// <summary>How long a <c>setCreditMode</c> waits for an offline meter: until it arrives, whatever the default lifetime.</summary>
    public static readonly Duration CommandLifetime = Duration.FromDays(365);

    public async Task<CreditModelSwitchOutcome> SwitchAsync(CreditModelChange change, Actor actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(change.Reason) || change.Reason.Length > 500)
        {
            return new CreditModelSwitchOutcome.Invalid("reason", "A reason of 1 to 500 characters is required.");
        }
        var now = clock.GetCurrentInstant();
        if (change.Model == CreditModel.Meter && change.EffectiveFrom > now)
        {
            return new CreditModelSwitchOutcome.Invalid("effectiveFrom",
                "A switch back to the meter takes effect when it is made: the central balance is sold to the meter as it stands now.");
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
        if (change.Model == CreditModel.Central && NoCentralMode(meter) is { } why)
        {
            return new CreditModelSwitchOutcome.NoCentralMode(meter.MeterNumber, why);
        }
        if (current is not null && change.EffectiveFrom <= current.EffectiveFrom)
        {
            return new CreditModelSwitchOutcome.NotAfterLatest(current.EffectiveFrom);
        }
        var tariff = await tariffs.ForMeterAsync(db, meter.Id, change.EffectiveFrom, ct);
        if (tariff is null)
        {
            return new CreditModelSwitchOutcome.NoTariff(meter.MeterNumber);
        }
        var central = AccountCode.MeterCentralCredit(meter.Id, meter.Currency);
        await ledger.EnsureAsync(db, [central, AccountCode.EnergyRevenue(meter.Currency), .. tariff.Taxes.Select(t => AccountCode.Tax(t.Name, meter.Currency))], ct);

        await using var tx = await db.BeginWriteAsync(ct);
        CarriedCredit? sold = null;
        Guid? transactionId = null;
        if (change.Model == CreditModel.Meter)
        {
            var balance = new Domain.Money.Money(await LedgerStore.BalanceAsync(db, central, ct), Domain.Money.Currency.FromCode(meter.Currency));
            sold = CarriedCredit.Sold(tariff, balance, change.EffectiveFrom);
            if (!sold.Total.IsZero)
            {
                transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
                await ledger.AddAsync(db, sold.SoldToMeter(transactionId.Value, meter.Id, meter.MeterNumber), now, $"central-credit/{meter.Id:N}", ct);
            }
            var state = await db.CentralCreditStates.FirstOrDefaultAsync(s => s.MeterId == meter.Id, ct);
            if (state is not null)
            {
                state.PricedUntil = change.EffectiveFrom;
                state.ChangedAt = now;
            }
        }
        db.MeterCreditModels.Add(new MeterCreditModelRecord
        {
            MeterId = meter.Id,
            Model = CreditModelText.Stored(change.Model),
            EffectiveFrom = change.EffectiveFrom,
            Actor = actor.AuditName,
            Reason = change.Reason,
            RecordedAt = now,
            CarriedOutMinor = sold?.Total.Minor ?? 0,
            CarriedOutWh = sold?.Energy.WattHours ?? 0,
            TransactionId = transactionId,
        });
        var mode = change.Model == CreditModel.Central ? MeterLink.Commands.CreditMode.Central : MeterLink.Commands.CreditMode.Meter;
        CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, new MeterLink.Commands.SetCreditMode(mode, change.EffectiveFrom, sold?.Energy ?? Energy.Zero),
            now, CommandReference, CommandLifetime);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName,
            ActorId = actor.AuditId,
            Action = "credit-model.switch",
            Target = $"meter/{meter.MeterNumber}",
            Details = change.Model == CreditModel.Central
                ? $"central from {change.EffectiveFrom}, once the meter hands its register over; {change.Reason}"
                : $"meter from {change.EffectiveFrom}; central balance sold to the meter: {sold?.Total.Minor ?? 0} minor units for {sold?.Energy.WattHours ?? 0} Wh; {change.Reason}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        dispatcher.Wake();
        return new CreditModelSwitchOutcome.Switched(meter.MeterNumber, change.Model, change.EffectiveFrom, sold?.Total.Minor ?? 0, sold?.Energy.WattHours ?? 0, meter.Currency);
    }

    /// <summary>Why the meter cannot hold its credit centrally, or null when it can.</summary>
    public static string? NoCentralMode(Domain.Metering.Meter meter) =>
        meter.Mode == Domain.Metering.MeterMode.Token ? "a keypad meter without a link counts its own credit down and cannot be told to stop"
        : meter.Transport != Domain.Metering.MeterTransport.Mqtt ? "a DLMS meter keeps its own credit account, which this head-end does not write"
        : null;
}
