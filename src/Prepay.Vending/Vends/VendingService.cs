using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Alerts.Producers;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Caching;
using Prepay.Vending.Contracts;
using Prepay.Vending.Pricing;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Vends;

/// <summary>
/// Payment in, token out. One vend is one database transaction: lock the meter and take its next token id, claim
/// the idempotency key (with what the purchase is priced against, in the same statement), price the purchase, post
/// the ledger transaction, store the vend and its response.
/// Every guard is the database's, so any number of servers can vend at once.
/// </summary>
public sealed class VendingService(
    IServiceScopeFactory scopes,
    IClock clock,
    LedgerStore ledger,
    TariffCatalog tariffs,
    ITokenGenerator tokens,
    TokenReservations tokenIds,
    CreditTokens creditTokens,
    CommandDispatcher dispatcher,
    VendingOptions options,
    VendingMetrics metrics,
    Debts.ITopUpDebtCap? debtCaps = null)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ShortLivedCache<Guid, Domain.Vendors.Vendor?> _vendors = new(clock, options.ConfigurationCacheDuration);

    /// <summary>How request bodies are read: web defaults (camelCase, case-insensitive), numbers only as numbers.</summary>
    public static JsonSerializerOptions JsonOptions => Json;
    private const int MaxAttempts = 5;

    public long MaxAmountMinor => options.MaxAmountMinor;

    /// <param name="alongside">
    /// Work that commits with this vend or not at all, run in its transaction once the key is claimed (an approval
    /// marked approved by the vend it pays for); returning false withdraws the vend (<c>withdrawn</c>), nothing written.
    /// </param>
    public async Task<VendOutcome> VendAsync(VendCommand cmd, Actor actor, CancellationToken ct, Func<PrepayDb, Guid, CancellationToken, Task<bool>>? alongside = null)
    {
        if (actor.VendorId is not { } vendorId)
        {
            return new VendOutcome.Unprocessable("no-vendor", "This API key is not bound to a vendor, so it has no float to sell from.");
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
                var outcome = await VendOnceAsync(db, cmd, vendorId, actor, alongside, ct);
                metrics.Record(outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return outcome;
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < MaxAttempts)
            {
                // A PostgreSQL deadlock or serialisation failure rolled everything back: run it again as it was.
            }
        }
    }

    private async Task<VendOutcome> VendOnceAsync(PrepayDb db, VendCommand cmd, Guid vendorId, Actor actor, Func<PrepayDb, Guid, CancellationToken, Task<bool>>? alongside, CancellationToken ct)
    {
        // A vend only adds rows and reads untracked ones: nothing tracked changes behind the context's back, so
        // SaveChanges need not scan the tracked entities for changes first.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // One connection for the whole vend, not one from the pool per statement before the transaction.
        await db.Database.OpenConnectionAsync(ct);
        var hash = cmd.RequestHash();
        var vendor = await _vendors.GetOrLoadAsync(vendorId, id => db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct));
        if (vendor is null)
        {
            return new VendOutcome.Unprocessable("no-vendor", "The vendor of this API key no longer exists.");
        }
        var (target, receiptsTo, failure) = await VendTargets.ResolveWithReceiptsAsync(db, cmd, ct);
        if (failure is not null)
        {
            return await Refuse(failure);
        }
        // A retry of a vend that was made is answered with it, whatever has changed since (the meter moved, the
        // tariff ended): checked only when this request would otherwise be refused, so a new vend pays nothing for it.
        async Task<VendOutcome> Refuse(VendOutcome refusal) =>
            await ReplayIfClaimedAsync(db, vendorId, cmd.IdempotencyKey, hash, ct) ?? refusal;

        var meter = target!.Meter;
        if (meter.Currency != cmd.Amount.Currency.Code)
        {
            return await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Meter '{meter.MeterNumber}' is sold in {meter.Currency}, not {cmd.Amount.Currency.Code}."));
        }
        if (vendor.Currency != cmd.Amount.Currency.Code)
        {
            return await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Vendor '{vendor.Code}' sells in {vendor.Currency}, not {cmd.Amount.Currency.Code}."));
        }
        if (meter.IssuesStsTokens && tokens.CannotIssueFor(meter) is { } noToken)
        {
            return await Refuse(new VendOutcome.Unprocessable("no-token", noToken));
        }

        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.Id, now, ct);
        if (tariff is null)
        {
            return await Refuse(new VendOutcome.Unprocessable("no-tariff", $"Meter '{meter.MeterNumber}' has no tariff in effect."));
        }
        if (tariff.Currency != cmd.Amount.Currency)
        {
            return await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Tariff '{tariff.Code}' is priced in {tariff.Currency}, not {cmd.Amount.Currency.Code}."));
        }

        // Every account the vend may post to exists before its transaction: creating one is its own committed statement.
        var currency = cmd.Amount.Currency;
        var creditAccount = AccountCode.CustomerCredit(target.CustomerId, currency.Code);
        var debtAccount = AccountCode.CustomerDebt(target.CustomerId, currency.Code);
        await ledger.EnsureAsync(db, VendPostings.Accounts(vendorId, target.CustomerId, tariff), ct);
        // The meter's credit model: held centrally, the sale tops up its central balance and the meter is sent nothing.
        var centralCredit = await CreditModels.IsCentralAsync(db, meter.Id, now, ct);
        if (centralCredit)
        {
            await ledger.EnsureAsync(db, [AccountCode.MeterCentralCredit(meter.Id, currency.Code)], ct);
        }

        var vendId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await using var tx = await db.BeginWriteAsync(ct);

        // 1. The meter's row lock and its next token id: vends to one meter queue here, so the month's energy and
        //    the token id below are read by one vend at a time, on any number of servers. A key change due now is
        //    made here too: its tokens go out with this vend, and the credit token is made with the new key.
        var reserved = await tokenIds.ReserveAsync(db, meter.Id, now, actor.AuditName, ct, known: meter);
        var tokenId = reserved.TokenId;
        var fresh = reserved.Meter;

        // 2. The key, and what this meter and customer already have to price against, in one statement under that
        //    lock. Of two requests racing with one key, the second waits (here, or already at the meter's row) for
        //    the first to commit, then finds the claim taken, rolls back what it reserved and replays the first
        //    one's response.
        var state = await PricingState.ClaimAndReadAsync(db, vendorId, cmd.IdempotencyKey, hash, vendId, meter.Id, tariff.StartOfMonth(now), creditAccount, debtAccount, ct);
        if (state is null)
        {
            await tx.RollbackAsync(ct);
            return await ReplayIfClaimedAsync(db, vendorId, cmd.IdempotencyKey, hash, ct)
                   ?? throw new InvalidOperationException("Idempotency claim vanished.");
        }
        if (alongside is not null && !await alongside(db, vendId, ct))
        {
            await tx.RollbackAsync(ct);
            return new VendOutcome.Conflict("withdrawn", "What this vend was for was decided otherwise meanwhile; nothing was sold.");
        }

        // 3. Price it.
        var context = await Debts.TopUpDebtCaps.ApplyAsync(debtCaps, db, tariff, state.ContextFor(fresh, currency), meter.Id, now, ct);
        var quote = TariffEngine.Quote(tariff, cmd.Amount, now, context);

        // 4. Token, ledger, meter state, vend, audit; all or nothing.
        //    A sale too large for one exact STS amount is carried by two tokens (CreditSplit): never refused for size.
        IReadOnlyList<IssuedCreditToken>? credit;
        try
        {
            credit = fresh.IssuesStsTokens && !centralCredit ? await creditTokens.IssueAsync(db, reserved, quote.Energy, ct) : null;
        }
        catch (UnrepresentableCreditException e)
        {
            await tx.RollbackAsync(ct);
            return new VendOutcome.Unprocessable("energy-not-representable", e.Message);
        }
        var token = credit is [var firstToken, ..] ? firstToken.Token : null;
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await ledger.AddAsync(db, centralCredit
            ? VendPostings.ForCentralCredit(transactionId, vendId, vendorId, vendor.CommissionBasisPoints, meter.Id, cmd.Amount)
            : VendPostings.For(transactionId, vendId, vendorId, vendor.CommissionBasisPoints, target.CustomerId, quote), now, vendId.ToString("N"), ct);
        if (!centralCredit && (quote.FixedChargesPaidThrough != fresh.FixedChargesPaidThrough || quote.FixedChargeArrearsAfter.Minor != fresh.FixedChargeArrearsMinor))
        {
            await db.Meters.Where(m => m.Id == meter.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.FixedChargesPaidThrough, quote.FixedChargesPaidThrough)
                .SetProperty(m => m.FixedChargeArrearsMinor, quote.FixedChargeArrearsAfter.Minor), ct);
        }

        // A smart meter gets its credit as a command, queued in this same transaction: no vend without its
        // command, no command without its vend. The head-end delivers it until the meter acknowledges it.
        var creditCommand = !centralCredit && SmartCredit.Enqueue(db, fresh, quote.Energy, credit, reserved.KeyChangeTokens, now, vendId);

        var response = VendResponses.Respond("credit", vendId, fresh, target, vendor, cmd, quote, credit, tokenId, reserved.KeyChangeTokens, now);
        // Serialised once: stored for replays and reprints, and sent as it is by the HTTP answer.
        var json = JsonSerializer.Serialize(response, Json);
        db.Vends.Add(new VendRecord
        {
            Id = vendId,
            IdempotencyKey = cmd.IdempotencyKey,
            RequestHash = hash,
            VendorId = vendorId,
            MeterId = meter.Id,
            MeterNumber = meter.MeterNumber,
            CustomerId = target.CustomerId,
            AmountMinor = cmd.Amount.Minor,
            Currency = currency.Code,
            EnergyWh = centralCredit ? 0 : quote.Energy.WattHours,
            DebtRecoveredMinor = centralCredit ? 0 : quote.DebtRecovered.Minor,
            Token = token,
            TokenId = tokenId,
            Kind = VendKind.Credit,
            Channel = response.Receipt.Channel,
            PaymentReference = cmd.PaymentReference,
            TransactionId = transactionId,
            At = now,
            Response = json,
        });
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName, ActorId = actor.AuditId,
            Action = "vend.create",
            Target = $"vend/{vendId}",
            Details = $"{cmd.Amount} to meter {meter.MeterNumber}",
        });
        // The customer's receipt (email, SMS, push, webhooks) is queued in this transaction: it commits with the vend.
        TopUpReceipts.Enqueue(db, receiptsTo!, new TopUpReceipt(vendId, target.CustomerId, meter.MeterNumber, response.Amount, response.Currency,
            response.EnergyWh, response.EnergyKwh, token, response.Receipt.ReceiptNumber, now, credit?.Select(t => t.Token).ToList(), reserved.KeyChangeTokens));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (creditCommand)
            {
                dispatcher.Wake();
            }
        }
        catch (Exception e) when (WriteTransactions.IsCheckViolation(e, "ck_accounts_minimum_balance"))
        {
            // The only account a vend draws below what it adds to is the vendor's float.
            return new VendOutcome.Conflict("insufficient-float", $"Vendor '{vendor.Code}' has not enough float for {cmd.Amount}.");
        }
        return new VendOutcome.Created(response) { Json = json };
    }

    private static async Task<VendOutcome?> ReplayIfClaimedAsync(PrepayDb db, Guid vendorId, string key, string hash, CancellationToken ct)
    {
        var claim = await db.IdempotencyClaims.AsNoTracking().FirstOrDefaultAsync(c => c.ScopeId == vendorId && c.Key == key, ct);
        if (claim is null)
        {
            return null;
        }
        if (claim.RequestHash != hash)
        {
            return new VendOutcome.KeyReused();
        }
        var stored = await db.Vends.AsNoTracking().Where(v => v.Id == claim.ResultId).Select(v => v.Response).FirstAsync(ct);
        return new VendOutcome.Replayed(JsonSerializer.Deserialize<VendResponse>(stored, Json)!) { Json = stored };
    }
}
