using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Posting;
using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.MeterData;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Storage.Records.Metering;
using Prepay.Tariffs.Documents;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// One round of central credit: prices a batch of committed readings and adjustments and posts them, in one write
/// transaction.
/// <list type="number">
/// <item>Outside the transaction, the meters with work are found and every account their tariffs may post to is
/// created (accounts are created only as committed statements of their own, see <see cref="LedgerStore"/>).</item>
/// <item>In the transaction, the meters are claimed: on PostgreSQL their <c>central_credit_states</c> rows are locked
/// <c>FOR UPDATE SKIP LOCKED</c>, so each node prices other meters and one meter's month is read by one node at a time;
/// on SQLite the write transaction is the one writer.</item>
/// <item>Each meter's queued readings (<see cref="UnpricedWork"/>: the triggers on <c>readings</c> queue every reading of
/// a central meter as it is written) are taken off the queue and priced oldest first (<see cref="IntervalPricing"/>),
/// each recorded under its (meter, interval) key in <c>central_credit_intervals</c>: a reading is priced once however
/// late or often it arrives. Then each new adjustment of a priced interval is posted once, for the exact difference
/// between the interval's price at its current value and what it was charged, and marked under its id.</item>
/// <item>Per meter one balanced ledger transaction carries the batch's sums, then the balance is read: at or below
/// zero less the emergency credit the household's disconnection policy offers (<see cref="IEmergencyCreditAllowance"/>),
/// a <c>Disconnect</c> is queued once (until a top-up brings it back above zero, <see cref="Reconnections"/>).</item>
/// </list>
/// </summary>
public sealed class ConsumptionRound(
    IServiceScopeFactory scopes,
    IClock clock,
    LedgerStore ledger,
    TariffCatalog tariffs,
    VeeOptions vee,
    CentralCreditOptions options,
    CommandDispatcher dispatcher,
    IEmergencyCreditAllowance? emergencyCredit = null)
{
    /// <summary>The reference every command central credit queues for an exhausted balance carries.</summary>
    public const string ExhaustedReference = "central-credit: exhausted";

    /// <summary>The reference of the reconnection after a top-up.</summary>
    public const string ToppedUpReference = "central-credit: topped up";

    private const int MetersPerRound = 200;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string, int, Guid?), byte> _ensured = new();

    /// <summary>Prices one batch; returns how many readings and adjustments it dealt with (0: nothing to do).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var work = await UnpricedWork.MetersAsync(db, MetersPerRound, options.BatchSize, ct);
        if (work.Count == 0)
        {
            return 0;
        }
        var candidates = work.Select(w => w.Meter).ToList();

        // 1. Accounts first, for the tariff each candidate meter has at the first and last interval to price (cached
        //    documents; accounts never go away, so one ensured here stays ensured for this process).
        var meters = await MeterPlacements.Current(db).Where(p => candidates.Contains(p.Meter.Id))
            .Select(p => new { p.Meter.Id, p.Meter.MeterNumber, p.Meter.Currency, p.CustomerId }).ToListAsync(ct);
        var ensured = new HashSet<(Guid, string, int)>();
        foreach (var m in meters)
        {
            var (_, first, last) = work.First(w => w.Meter == m.Id);
            foreach (var at in new[] { first, last })
            {
                if (await tariffs.ForMeterAsync(db, m.Id, at - vee.IntervalLength, ct) is { } tariff && ensured.Add((m.Id, tariff.Code, tariff.Version))
                    && _ensured.TryAdd((m.Id, tariff.Code, tariff.Version, m.CustomerId), 0))
                {
                    await ledger.EnsureAsync(db, CentralAccounts.For(m.Id, m.CustomerId, tariff), ct);
                }
            }
        }

        var now = clock.GetCurrentInstant();
        var dealt = 0;
        var queuedCommand = false;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // 2. The claim.
            var claimed = db.Provider == DatabaseProvider.Postgres
                ? await db.Database.SqlQuery<Guid>($"SELECT meter_id AS \"Value\" FROM central_credit_states WHERE meter_id = ANY({candidates.ToArray()}) ORDER BY meter_id FOR UPDATE SKIP LOCKED").ToListAsync(ct)
                : candidates;
            var states = await db.CentralCreditStates.Where(s => claimed.Contains(s.MeterId)).ToDictionaryAsync(s => s.MeterId, ct);
            var books = meters.Where(m => states.ContainsKey(m.Id))
                .ToDictionary(m => m.Id, m => new MeterBook(m.Id, m.MeterNumber, Currency.FromCode(m.Currency), m.CustomerId));

            // 3. Queued readings, oldest first per meter.
            var readings = await UnpricedWork.TakeAsync(db, claimed, options.BatchSize, ct);
            var priced = new List<PricedIntervalRecord>(readings.Count);
            var notYet = new List<UnpricedWork.Queued>();
            var transactions = books.Keys.ToDictionary(id => id, _ => Guid.CreateVersion7(now.ToDateTimeOffset()));
            // A meter's readings come oldest first: its tariff and month are looked up again only past where they held.
            var spans = new Dictionary<Guid, TariffSpan>();
            foreach (var reading in readings)
            {
                if (!books.TryGetValue(reading.MeterId, out var book) || !ToPrice(reading, states[reading.MeterId]))
                {
                    continue; // dropped from the queue: not to be priced
                }
                var start = reading.At - vee.IntervalLength;
                if (!spans.TryGetValue(reading.MeterId, out var span) || !span.Holds(start))
                {
                    span = await TariffSpan.AtAsync(tariffs, db, reading.MeterId, start, ct);
                    spans[reading.MeterId] = span;
                }
                var tariff = span.Tariff;
                if (tariff is null || !ensured.Contains((reading.MeterId, tariff.Code, tariff.Version)))
                {
                    notYet.Add(reading); // no tariff (yet), or one published since step 1: the next round has its accounts
                    continue;
                }
                var month = span.MonthOf(start);
                var position = await book.PositionAsync(db, tariff, month, tariff.LocalDateOf(start), ct);
                var interval = new IntervalToPrice(reading.MeterId, start, reading.At, new Energy(reading.DeltaWh!.Value), reading.Quality!);
                var charges = IntervalPricing.Price(tariff, interval, position);
                book.Priced(db, month, charges);
                priced.Add(new PricedIntervalRecord
                {
                    MeterId = reading.MeterId,
                    At = reading.At,
                    Start = start,
                    Month = month,
                    Wh = reading.DeltaWh.Value,
                    MonthPositionWh = position.EnergyPricedThisMonth.WattHours,
                    ChargedMinor = charges.Total.Minor,
                    DebtRecoveredMinor = charges.DebtRecovered.Minor,
                    FixedChargesMinor = charges.FixedCharges.Minor,
                    TariffCode = tariff.Code,
                    TariffVersion = tariff.Version,
                    TransactionId = charges.Total.IsZero ? null : transactions[reading.MeterId],
                    PricedAt = now,
                });
            }
            await UnpricedWork.RequeueAsync(db, notYet, ct);
            dealt += readings.Count - notYet.Count; // priced or dropped: off the queue either way

            // 4. Adjustments of priced intervals: the exact difference, once.
            var adjustments = await UnpricedWork.Adjustments(db).Where(a => claimed.Contains(a.MeterId))
                .OrderBy(a => a.Id).Take(options.BatchSize).ToListAsync(ct);
            foreach (var adjustment in adjustments)
            {
                if (books.TryGetValue(adjustment.MeterId, out var book) && await CorrectAsync(db, book, adjustment, ensured, transactions[adjustment.MeterId], now, ct))
                {
                    dealt++;
                }
            }

            // 5. One ledger transaction per meter, then the balance it leaves: read before the postings and less what
            //    they take, as the same figure on both providers (PostgreSQL applies postings to balances only at commit).
            var charged = books.Values.Where(b => b.Totals.Net > 0).ToList();
            var before = charged.Count == 0 ? null : await LedgerStore.BalancesAsync(db, charged.Select(b => b.Totals.CentralAccount).ToList(), ct);
            foreach (var book in books.Values)
            {
                if (book.Totals.Transaction(transactions[book.MeterId], $"consumption of meter {book.MeterNumber}") is not { } transaction)
                {
                    continue;
                }
                await ledger.AddAsync(db, transaction, now, $"central-credit/{book.MeterId:N}", ct);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            // After the ledger transactions they refer to; by the bulk path, as readings are written.
            await PricedIntervalWriter.WriteAsync(db, priced, ct);
            foreach (var book in charged)
            {
                var state = states[book.MeterId];
                var balance = before![book.Totals.CentralAccount.Value] - book.Totals.Net;
                if (!state.Exhausted && balance <= 0 && balance <= -await EmergencyAllowanceAsync(db, book, now, ct))
                {
                    CommandQueue.Enqueue(db, book.MeterId, book.MeterNumber, new MeterLink.Commands.Disconnect(), now, ExhaustedReference);
                    state.Exhausted = true;
                    state.ChangedAt = now;
                    queuedCommand = true;
                }
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (queuedCommand)
        {
            dispatcher.Wake();
        }
        return dealt;
    }

    // Asked only of a balance at or below zero: a meter in credit costs no policy read.
    private async Task<long> EmergencyAllowanceAsync(PrepayDb db, MeterBook book, Instant now, CancellationToken ct) =>
        emergencyCredit is null ? 0 : await emergencyCredit.MinorAsync(db, book.MeterId, book.Totals.CentralAccount.Currency, now, ct);

    /// <summary>
    /// Posts an adjustment of a priced interval: the interval re-priced at its current value, at the block position it
    /// was first priced at and with its days' fixed charges already taken, less the same at the value it was charged
    /// for. The priced row then holds the current value, so a later adjustment corrects from there.
    /// </summary>
    private async Task<bool> CorrectAsync(PrepayDb db, MeterBook book, ReadingAdjustment adjustment, HashSet<(Guid, string, int)> ensured, Guid transactionId, Instant now, CancellationToken ct)
    {
        var priced = await db.CentralCreditIntervals.FirstAsync(p => p.MeterId == adjustment.MeterId && p.At == adjustment.At, ct);
        var current = await db.Readings.AsNoTracking().Where(r => r.MeterId == adjustment.MeterId && r.At == adjustment.At)
            .Select(r => new { r.DeltaWh, r.Quality }).FirstAsync(ct);
        long correction = 0;
        Guid? postedIn = null;
        if (current.DeltaWh != priced.Wh && ReadingQualities.IsPriced(current.Quality))
        {
            var tariff = await tariffs.ForMeterAsync(db, adjustment.MeterId, priced.Start, ct);
            if (tariff is null || !ensured.Contains((adjustment.MeterId, tariff.Code, tariff.Version)))
            {
                return false;
            }
            var days = IntervalPricing.DaysTouched(tariff, priced.Start, priced.At).ToHashSet();
            var position = new PricingPosition(new Energy(priced.MonthPositionWh), days, Money.Zero(tariff.Currency), Money.Zero(tariff.Currency));
            IntervalCharges At(long wh) => IntervalPricing.Price(tariff, new IntervalToPrice(priced.MeterId, priced.Start, priced.At, new Energy(wh), current.Quality), position);
            var was = At(priced.Wh);
            var corrected = At(current.DeltaWh);
            book.Totals.Add(corrected, book.CustomerId);
            book.Totals.Add(was, book.CustomerId, sign: -1);
            correction = (corrected.Total - was.Total).Minor;
            priced.Wh = current.DeltaWh;
            priced.ChargedMinor += correction;
            db.CentralCreditIntervals.Update(priced);
            postedIn = correction == 0 ? null : transactionId;
        }
        db.CentralCreditAdjustments.Add(new PostedAdjustmentRecord
        {
            AdjustmentId = adjustment.Id,
            MeterId = adjustment.MeterId,
            At = adjustment.At,
            CorrectionMinor = correction,
            TransactionId = postedIn,
            PostedAt = now,
        });
        return true;
    }

    /// <summary>
    /// Whether a queued reading is priced: still stored, trusted (a suspect one waits for an operator's edit, which
    /// queues it again), not priced already (a value changed after pricing is an adjustment's work), and inside the
    /// meter's central stretch as it stands now.
    /// </summary>
    private static bool ToPrice(UnpricedWork.Queued reading, CentralCreditStateRecord state) =>
        reading is { DeltaWh: not null, Quality: { } quality, Priced: false }
        && ReadingQualities.IsPriced(quality)
        && reading.At > state.PricedFrom && (state.PricedUntil is not { } until || reading.At <= until);

    /// <summary>
    /// The tariff pricing a meter from <paramref name="from"/> until <paramref name="until"/> (exclusive, as
    /// <see cref="TariffCatalog.ForMeterUntilAsync"/> found it), and the month (tariff's zone, <c>yyyy-MM</c>) last asked
    /// for with its bounds.
    /// </summary>
    private sealed class TariffSpan(TariffDocument? tariff, Instant from, Instant until)
    {
        private Instant _monthFrom = Instant.MaxValue;
        private Instant _monthUntil = Instant.MinValue;
        private string _month = "";

        public TariffDocument? Tariff => tariff;

        public static async Task<TariffSpan> AtAsync(TariffCatalog tariffs, PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
        {
            var (tariff, until) = await tariffs.ForMeterUntilAsync(db, meterId, at, ct);
            return new TariffSpan(tariff, at, until);
        }

        public bool Holds(Instant at) => at >= from && at < until;

        public string MonthOf(Instant start)
        {
            if (start < _monthFrom || start >= _monthUntil)
            {
                var month = tariff!.MonthOf(start);
                _monthFrom = tariff.StartOfMonth(start);
                _monthUntil = tariff.TimeZone.AtStartOfDay(month.PlusMonths(1).OnDayOfMonth(1)).ToInstant();
                _month = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            }
            return _month;
        }
    }
}
