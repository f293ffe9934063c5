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
/// Payment in, token out. What a vend is priced against is read first; then, all or nothing: lock the meter and take
/// its next token id, claim the idempotency key (with what the purchase is priced against, in the same statement),
/// price the purchase, post the ledger transaction, store the vend and its response, in a transaction of its own or,
/// with group commit on (<see cref="VendingOptions.GroupCommitMaxVends"/>), with the vends waiting at that moment, each
/// in its own savepoint of one transaction (<see cref="VendBatches"/>); a vend that carries work of its own (an
/// approval it pays) always gets a transaction to itself. Every guard is the database's, so any number of servers can
/// vend at once.
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
    VendBatches batches,
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
        var (plan, refusal) = await PrepareAsync(db, cmd, vendorId, actor, ct);
        if (plan is null)
        {
            return refusal!;
        }
        // Work that must commit with the vend runs in a transaction of its own; every other vend joins the next batch.
        var written = alongside is null && batches.Enabled
            ? await batches.WriteAsync((batchDb, batchCt) => WriteAsync(batchDb, plan, null, batchCt), InsufficientFloat(plan), ct)
            : await WriteAloneAsync(db, plan, alongside, ct);
        if (written is VendWrite.Alone)
        {
            written = await WriteAloneAsync(db, plan, null, ct);
        }
        switch (written)
        {
            case VendWrite.Committed c:
                if (c.CreditCommand)
                {
                    dispatcher.Wake();
                }
                return c.Created;
            case VendWrite.Refused r:
                return r.Outcome;
            default:
                // The key was claimed by another request (or this one's earlier try): its answer, now committed.
                return await ReplayIfClaimedAsync(db, vendorId, cmd.IdempotencyKey, plan.Hash, ct)
                       ?? throw new InvalidOperationException("Idempotency claim vanished.");
        }
    }

    /// <summary>
    /// Everything read and checked before the vend's transaction: the vendor, meter, customer, tariff and credit model,
    /// and every account the vend may post to (creating one is its own committed statement). A refusal here has
    /// written nothing; a request that would be refused but was made before is answered with what it got then.
    /// </summary>
    private async Task<(VendPlan? Plan, VendOutcome? Refusal)> PrepareAsync(PrepayDb db, VendCommand cmd, Guid vendorId, Actor actor, CancellationToken ct)
    {
        var hash = cmd.RequestHash();
        var vendor = await _vendors.GetOrLoadAsync(vendorId, id => db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct));
        if (vendor is null)
        {
            return (null, new VendOutcome.Unprocessable("no-vendor", "The vendor of this API key no longer exists."));
        }
        var (target, receiptsTo, failure) = await VendTargets.ResolveWithReceiptsAsync(db, cmd, ct);
        if (failure is not null)
        {
            return (null, await Refuse(failure));
        }
        // A retry of a vend that was made is answered with it, whatever has changed since (the meter moved, the
        // tariff ended): checked only when this request would otherwise be refused, so a new vend pays nothing for it.
        async Task<VendOutcome> Refuse(VendOutcome refusal) =>
            await ReplayIfClaimedAsync(db, vendorId, cmd.IdempotencyKey, hash, ct) ?? refusal;

        var meter = target!.Meter;
        if (meter.Currency != cmd.Amount.Currency.Code)
        {
            return (null, await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Meter '{meter.MeterNumber}' is sold in {meter.Currency}, not {cmd.Amount.Currency.Code}.")));
        }
        if (vendor.Currency != cmd.Amount.Currency.Code)
        {
            return (null, await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Vendor '{vendor.Code}' sells in {vendor.Currency}, not {cmd.Amount.Currency.Code}.")));
        }
        if (meter.IssuesStsTokens && tokens.CannotIssueFor(meter) is { } noToken)
        {
            return (null, await Refuse(new VendOutcome.Unprocessable("no-token", noToken)));
        }

        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.Id, now, ct);
        if (tariff is null)
        {
            return (null, await Refuse(new VendOutcome.Unprocessable("no-tariff", $"Meter '{meter.MeterNumber}' has no tariff in effect.")));
        }
        if (tariff.Currency != cmd.Amount.Currency)
        {
            return (null, await Refuse(new VendOutcome.Unprocessable("currency-mismatch", $"Tariff '{tariff.Code}' is priced in {tariff.Currency}, not {cmd.Amount.Currency.Code}.")));
        }

        // Every account the vend may post to exists before its transaction: creating one is its own committed statement.
        await ledger.EnsureAsync(db, VendPostings.Accounts(vendorId, target.CustomerId, tariff), ct);
        // The meter's credit model: held centrally, the sale tops up its central balance and the meter is sent nothing.
        var centralCredit = await CreditModels.IsCentralAsync(db, meter.Id, now, ct);
        if (centralCredit)
        {
            await ledger.EnsureAsync(db, [AccountCode.MeterCentralCredit(meter.Id, cmd.Amount.Currency.Code)], ct);
        }
        return (new VendPlan(cmd, hash, vendor, actor, target, receiptsTo!, tariff, centralCredit, now, Guid.CreateVersion7(now.ToDateTimeOffset())), null);
    }

    private static VendOutcome InsufficientFloat(VendPlan plan) =>
        // The only account a vend draws below what it adds to is the vendor's float.
        new VendOutcome.Conflict("insufficient-float", $"Vendor '{plan.Vendor.Code}' has not enough float for {plan.Cmd.Amount}.");

    /// <summary>The vend in a transaction of its own: committed, or rolled back with its refusal.</summary>
    private async Task<VendWrite> WriteAloneAsync(PrepayDb db, VendPlan plan, Func<PrepayDb, Guid, CancellationToken, Task<bool>>? alongside, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var written = await WriteAsync(db, plan, alongside, ct);
        if (written is not VendWrite.Committed)
        {
            await tx.RollbackAsync(ct);
            return written;
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            return new VendWrite.Refused(InsufficientFloat(plan));
        }
        return written;
    }

    /// <summary>
    /// The vend's writes, inside a transaction (or a batch's savepoint) its caller opened and will commit or undo: lock
    /// the meter and take its next token id, claim the key with the pricing state, price, post, and add the vend, its
    /// command, receipt and audit to the context. Returns <see cref="VendWrite.Committed"/> when all of it is to be
    /// saved and committed, anything else when it is to be undone.
    /// </summary>
    private async Task<VendWrite> WriteAsync(PrepayDb db, VendPlan plan, Func<PrepayDb, Guid, CancellationToken, Task<bool>>? alongside, CancellationToken ct)
    {
        var (cmd, vendor, actor, target, now, vendId) = (plan.Cmd, plan.Vendor, plan.Actor, plan.Target, plan.Now, plan.VendId);
        var (meter, tariff, centralCredit, vendorId) = (target.Meter, plan.Tariff, plan.CentralCredit, plan.Vendor.Id);
        var currency = cmd.Amount.Currency;
        var creditAccount = AccountCode.CustomerCredit(target.CustomerId, currency.Code);
        var debtAccount = AccountCode.CustomerDebt(target.CustomerId, currency.Code);

        // 1. The meter's row lock and its next token id: vends to one meter queue here, so the month's energy and
        //    the token id below are read by one vend at a time, on any number of servers. A key change due now is
        //    made here too: its tokens go out with this vend, and the credit token is made with the new key.
        var reserved = await tokenIds.ReserveAsync(db, meter.Id, now, actor.AuditName, ct, known: meter);
        var tokenId = reserved.TokenId;
        var fresh = reserved.Meter;

        // 2. The key, and what this meter and customer already have to price against, in one statement under that
        //    lock. Of two requests racing with one key, the second waits (here, or already at the meter's row) for
        //    the first to commit, then finds the claim taken, undoes what it reserved and replays the first one's
        //    response.
        var state = await PricingState.ClaimAndReadAsync(db, vendorId, cmd.IdempotencyKey, plan.Hash, vendId, meter.Id, tariff.StartOfMonth(now), creditAccount, debtAccount, ct);
        if (state is null)
        {
            return VendWrite.Replay.Instance;
        }
        if (alongside is not null && !await alongside(db, vendId, ct))
        {
            return new VendWrite.Refused(new VendOutcome.Conflict("withdrawn", "What this vend was for was decided otherwise meanwhile; nothing was sold."));
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
            return new VendWrite.Refused(new VendOutcome.Unprocessable("energy-not-representable", e.Message));
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
            RequestHash = plan.Hash,
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
        TopUpReceipts.Enqueue(db, plan.ReceiptsTo, new TopUpReceipt(vendId, target.CustomerId, meter.MeterNumber, response.Amount, response.Currency,
            response.EnergyWh, response.EnergyKwh, token, response.Receipt.ReceiptNumber, now, credit?.Select(t => t.Token).ToList(), reserved.KeyChangeTokens));
        return new VendWrite.Committed(new VendOutcome.Created(response) { Json = json }, creditCommand);
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
