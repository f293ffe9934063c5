using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.FreeBasic;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.TimeOfUse;
using Prepay.Vending.Contracts;
using Prepay.Vending.Pricing;
using Prepay.Vending.Tokens;
using Prepay.Vending.Vends;

namespace Prepay.Vending.FreeBasic;

/// <summary>
/// Free basic electricity: once a calendar month (in the tariff's zone) a registered indigent customer's meter gets
/// the tariff's allowance as a zero-value vend, with a token for a keypad meter or a credit command for a smart
/// meter. The subsidy pays the energy's value to energy revenue, so the books show what the allowance cost.
/// The unique (meter, month) key makes a second issue in one month impossible, on any number of servers; asking
/// again returns the month's issue.
/// </summary>
public sealed class FreeBasicService(
    IServiceScopeFactory scopes,
    IClock clock,
    LedgerStore ledger,
    TariffCatalog tariffs,
    TokenReservations tokenIds,
    CreditTokens creditTokens,
    CommandDispatcher dispatcher)
{
    public async Task<VendOutcome> IssueAsync(MeterNumber meterNumber, Actor actor, CancellationToken ct)
    {
        if (actor.VendorId is not { } vendorId)
        {
            return new VendOutcome.Unprocessable("no-vendor", "This API key is not bound to a vendor, so nothing can be issued through it.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        var (target, failure) = await VendTargets.ResolveAsync(db, meterNumber, null, null, ct);
        if (failure is not null || vendor is null)
        {
            return failure ?? new VendOutcome.Unprocessable("no-vendor", "The vendor of this API key no longer exists.");
        }
        var meter = target!.Meter;
        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.Id, now, ct);
        if (tariff is null)
        {
            return new VendOutcome.Unprocessable("no-tariff", $"Meter '{meter.MeterNumber}' has no tariff in effect.");
        }
        var month = YearMonthPattern.Iso.Format(tariff.MonthOf(now));
        if (await IssuedAsync(db, meter.Id, month, ct) is { } issued)
        {
            return new VendOutcome.Replayed(issued);
        }
        var indigent = await db.Customers.Where(c => c.Id == target.CustomerId).Select(c => c.Indigent).FirstAsync(ct);
        var due = FreeBasicElectricity.Due(tariff, indigent, Energy.Zero, meter.ResolutionWh);
        if (!due.IsDue)
        {
            return new VendOutcome.Unprocessable("not-eligible", tariff.FreeBasic is null
                ? $"Tariff '{tariff.Code}' grants no free basic electricity."
                : $"The customer of meter '{meter.MeterNumber}' is not registered as indigent.");
        }
        var value = ValueOf(tariff, due.Amount, now);
        var currency = tariff.Currency;
        await ledger.EnsureAsync(db, [AccountCode.FreeEnergy(currency.Code), AccountCode.EnergyRevenue(currency.Code)], ct);

        var vendId = Guid.CreateVersion7(now.ToDateTimeOffset());
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await using var tx = await db.BeginWriteAsync(ct);
        var reserved = await tokenIds.ReserveAsync(db, meter.Id, now, actor.AuditName, ct);
        var fresh = reserved.Meter;
        IReadOnlyList<IssuedCreditToken>? credit;
        try
        {
            credit = fresh.IssuesStsTokens ? await creditTokens.IssueAsync(db, reserved, due.Amount, ct) : null;
        }
        catch (UnrepresentableCreditException e)
        {
            await tx.RollbackAsync(ct);
            return new VendOutcome.Unprocessable("energy-not-representable", e.Message);
        }
        if (value.IsPositive)
        {
            await ledger.AddAsync(db, new LedgerTransaction.Builder(transactionId, TransactionKind.FreeBasicElectricity, $"free basic electricity {month} meter {meter.MeterNumber}")
                .Move(AccountCode.FreeEnergy(currency.Code), AccountCode.EnergyRevenue(currency.Code), value)
                .Build(), now, vendId.ToString("N"), ct);
        }
        else
        {
            db.LedgerTransactions.Add(new StoredTransaction { Id = transactionId, Kind = TransactionKind.FreeBasicElectricity, Description = $"free basic electricity {month} (no value)", At = now, Reference = vendId.ToString("N") });
        }
        SmartCredit.Enqueue(db, fresh, due.Amount, credit, reserved.KeyChangeTokens, now, vendId);

        var quote = new PurchaseQuote(tariff.Code, tariff.Version, now, Money.Zero(currency), Money.Zero(currency), [],
            Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), due.Amount,
            [], Money.Zero(currency), fresh.FixedChargesPaidThrough, new Money(fresh.FixedChargeArrearsMinor, currency), IsEstimate: false);
        var command = new VendCommand("free-basic:" + month, meterNumber, null, null, Money.Zero(currency), "free-basic", null);
        var response = VendResponses.Respond("freeBasic", vendId, fresh, target, vendor, command, quote, credit, reserved.TokenId, reserved.KeyChangeTokens, now);
        var token = response.Token;
        db.Vends.Add(new VendRecord
        {
            Id = vendId,
            IdempotencyKey = $"free-basic:{meter.MeterNumber}:{month}",
            RequestHash = month,
            VendorId = vendorId,
            MeterId = meter.Id,
            MeterNumber = meter.MeterNumber,
            CustomerId = target.CustomerId,
            AmountMinor = 0,
            Currency = currency.Code,
            EnergyWh = due.Amount.WattHours,
            Token = token,
            TokenId = reserved.TokenId,
            Kind = VendKind.FreeBasic,
            FreeBasicMonth = month,
            Channel = "free-basic",
            TransactionId = transactionId,
            At = now,
            Response = JsonSerializer.Serialize(response, VendingService.JsonOptions),
        });
        db.Audit.Add(new AuditRecord { At = now, Actor = actor.AuditName, ActorId = actor.AuditId, Action = "vend.free-basic", Target = $"vend/{vendId}", Details = $"{due.Amount} for {month} to meter {meter.MeterNumber}, worth {value}" });
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (WriteTransactions.IsUniqueViolation(e))
        {
            // Issued meanwhile by another request: the month's one issue is the answer.
            await tx.RollbackAsync(ct);
            await using var again = scopes.CreateAsyncScope();
            return await IssuedAsync(again.ServiceProvider.GetRequiredService<PrepayDb>(), meter.Id, month, ct) is { } winner
                ? new VendOutcome.Replayed(winner)
                : throw new InvalidOperationException("A free basic electricity vend collided with one that does not exist.", e);
        }
        if (fresh.Mode == MeterMode.Smart)
        {
            dispatcher.Wake();
        }
        return new VendOutcome.Created(response);
    }

    private static async Task<VendResponse?> IssuedAsync(PrepayDb db, Guid meterId, string month, CancellationToken ct)
    {
        var stored = await db.Vends.AsNoTracking().Where(v => v.MeterId == meterId && v.FreeBasicMonth == month).Select(v => v.Response).FirstOrDefaultAsync(ct);
        return stored is null ? null : JsonSerializer.Deserialize<VendResponse>(stored, VendingService.JsonOptions);
    }

    /// <summary>
    /// What the allowance would have cost: the first block for an inclining-block tariff (where free energy comes
    /// first), the flat rate, or the time-of-use rate in force now; rounded up like any energy cost.
    /// </summary>
    private static Money ValueOf(TariffDocument tariff, Energy energy, Instant at) => tariff.Energy switch
    {
        FlatRateCharge flat => flat.Rate.CostRoundedUp(energy, tariff.Currency),
        IncliningBlockCharge blocks => blocks.Split(Energy.Zero, energy).Aggregate(Money.Zero(tariff.Currency), (sum, s) => sum + s.Rate.CostRoundedUp(s.Energy, tariff.Currency)),
        TimeOfUseCharge => TouPricing.RateAt(tariff, at).Rate.CostRoundedUp(energy, tariff.Currency),
        _ => Money.Zero(tariff.Currency),
    };
}
