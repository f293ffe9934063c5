using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.Ledger.Accounts;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;

namespace Prepay.CentralCredit.Display;

/// <summary>
/// Tells each central-credit meter its balance for its display (issue 14, item 1: "the meter is told its balance"):
/// a <see cref="ShowBalance"/> when the ledger's balance differs from the one last sent, at most once per
/// <see cref="CentralCreditOptions.BalanceDisplayInterval"/> while it falls (consumption priced), at once when it rises
/// (a top-up: the customer looks at the meter right after paying) or when the last one never reached the meter
/// (withdrawn or expired). One the meter refused is not sent again until the balance changes. Only MQTT meters are
/// told: a DLMS meter has no object this head-end writes a balance to (the transport would fail the command), and a
/// meter holding its own credit displays its own register. The display holds back none of the meter's other commands
/// (<see cref="DisplayCommands"/>). Any number of nodes may run it: the state row moves by a conditional update in the
/// transaction that queues the command, so of two nodes one queues it.
/// </summary>
public sealed class BalanceDisplays(IServiceScopeFactory scopes, IClock clock, CentralCreditOptions options, CommandDispatcher dispatcher)
{
    /// <summary>The reference of every display command central credit queues.</summary>
    public const string Reference = "central-credit: balance";

    /// <summary>A display a day old is worth nothing: a newer balance will have been sent by then.</summary>
    public static readonly Duration Lifetime = Duration.FromDays(1);

    private const int PageSize = 500;

    // Still standing: the meter has it, will have it, or refused it (sent again only for a new balance).
    private static readonly CommandState[] Standing = [CommandState.Queued, CommandState.Sent, CommandState.Acknowledged, CommandState.Failed];

    /// <summary>One round over every central-credit MQTT meter; returns how many displays were queued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var queued = 0;
        Guid? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var now = clock.GetCurrentInstant();
            var page = await (from s in db.CentralCreditStates.AsNoTracking()
                              join m in db.Meters.AsNoTracking() on s.MeterId equals m.Id
                              where m.Transport == MeterTransport.Mqtt && s.PricedFrom <= now && s.PricedUntil == null
                                  && (after == null || s.MeterId.CompareTo(after.Value) > 0)
                              orderby s.MeterId
                              select new
                              {
                                  m.Id, m.MeterNumber, m.Currency, s.DisplayMinor, s.DisplayQueuedAt, s.DisplayCommandId,
                                  LastState = db.MeterCommands.Where(c => c.Id == s.DisplayCommandId).Select(c => (CommandState?)c.State).FirstOrDefault(),
                              }).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].Id;
            var balances = await LedgerStore.BalancesAsync(db, [.. page.Select(p => AccountCode.MeterCentralCredit(p.Id, p.Currency))], ct);
            foreach (var meter in page)
            {
                var balance = balances[AccountCode.MeterCentralCredit(meter.Id, meter.Currency).Value];
                if (!Due(balance, meter.DisplayMinor, meter.DisplayQueuedAt, meter.LastState, now))
                {
                    continue;
                }
                await using var tx = await db.BeginWriteAsync(ct);
                var previous = meter.DisplayCommandId;
                var command = await CommandQueue.EnqueueSupersedingAsync(db, meter.Id, meter.MeterNumber,
                    new ShowBalance(new Money(balance, Currency.FromCode(meter.Currency)), now), now, Reference, Lifetime, ct);
                var moved = await db.CentralCreditStates
                    .Where(s => s.MeterId == meter.Id && s.DisplayCommandId == previous)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.DisplayMinor, balance).SetProperty(s => s.DisplayQueuedAt, now)
                        .SetProperty(s => s.DisplayCommandId, command.Id), ct);
                if (moved == 0)
                {
                    await tx.RollbackAsync(ct); // another node sent it meanwhile
                    db.ChangeTracker.Clear();
                    continue;
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                queued++;
            }
        }
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }

    private bool Due(long balance, long? shown, Instant? queuedAt, CommandState? last, Instant now)
    {
        if (shown is not { } was || last is null)
        {
            return true; // never told, or its command is gone
        }
        if (was == balance)
        {
            return !Standing.Contains(last.Value); // withdrawn or expired before the meter had it: again
        }
        // A rise is a top-up (consumption only takes): at once. A fall waits for the interval.
        return balance > was || queuedAt is not { } at || now - at >= Duration.FromTimeSpan(options.BalanceDisplayInterval);
    }
}
