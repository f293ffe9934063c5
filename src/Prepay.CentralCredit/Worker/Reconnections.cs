using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// A meter asked to disconnect for an exhausted central balance is asked to connect once a top-up has brought the
/// balance back above zero. The state row moves out of exhausted by a conditional update in the transaction that queues
/// the <c>Connect</c>, so of two nodes one queues it.
/// </summary>
public sealed class Reconnections(IServiceScopeFactory scopes, IClock clock, CommandDispatcher dispatcher)
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var exhausted = await (from s in db.CentralCreditStates.AsNoTracking()
                               join m in db.Meters.AsNoTracking() on s.MeterId equals m.Id
                               where s.Exhausted
                               select new { m.Id, m.MeterNumber, m.Currency }).ToListAsync(ct);
        if (exhausted.Count == 0)
        {
            return 0;
        }
        var balances = await LedgerStore.BalancesAsync(db, exhausted.Select(e => AccountCode.MeterCentralCredit(e.Id, e.Currency)).ToList(), ct);
        var queued = 0;
        foreach (var meter in exhausted.Where(e => balances[AccountCode.MeterCentralCredit(e.Id, e.Currency).Value] > 0))
        {
            var now = clock.GetCurrentInstant();
            await using var tx = await db.BeginWriteAsync(ct);
            var moved = await db.CentralCreditStates.Where(s => s.MeterId == meter.Id && s.Exhausted)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Exhausted, false).SetProperty(x => x.ChangedAt, now), ct);
            // Read again under the row's lock: consumption priced meanwhile may have taken the credit again.
            if (moved == 0 || await LedgerStore.BalanceAsync(db, AccountCode.MeterCentralCredit(meter.Id, meter.Currency), ct) <= 0)
            {
                await tx.RollbackAsync(ct);
                continue;
            }
            CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, new MeterLink.Commands.Connect(), now, ConsumptionRound.ToppedUpReference);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            queued++;
        }
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }
}
