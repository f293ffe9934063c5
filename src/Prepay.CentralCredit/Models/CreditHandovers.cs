using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Models;

/// <summary>
/// Completes a switch to central credit when the meter reports handing its register over (the <c>creditHandedOver</c>
/// event, docs/mqtt.md, at a boundary of its reading interval): in the transaction that stores the event, the register
/// net of the emergency credit it had lent is carried into the central balance, valued with the tariff in force at the
/// switch at that boundary's prices (<see cref="CarriedCredit.Value"/>, a balanced <c>CreditCarriedIn</c> transaction), and pricing starts from
/// the boundary: every reading up to it was counted down in the meter, every one after is priced here, so no interval
/// is paid for twice. A net debt (more emergency credit lent than left) is not carried: the meter forgives it with the
/// register. Once per switch: the switch's row moves from "not handed over" by a conditional update, and the meter's
/// event is stored once by its key.
/// </summary>
public sealed class CreditHandovers(MeterMessageHandler handler, TariffCatalog tariffs, LedgerStore ledger, Worker.CentralCreditWorker worker, IClock clock,
    ILogger<CreditHandovers> logger) : IHostedLifecycleService
{
    /// <summary>The event a meter reports at the boundary where it gives its register up.</summary>
    public const string HandedOverEvent = "creditHandedOver";

    // Subscribed before any hosted service starts, so a handover in the head-end's first messages is not missed.
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        handler.EventsStoring += CarryInAsync;
        handler.EventsStored += WakeWorker;
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        handler.EventsStoring -= CarryInAsync;
        handler.EventsStored -= WakeWorker;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WakeWorker(Guid meterId, string meterNumber, IReadOnlyList<MeterEvent> events)
    {
        if (events.Any(e => e.Type == HandedOverEvent))
        {
            worker.Wake();
        }
    }

    /// <summary>Runs inside the transaction storing the meter's new events: the carry-in commits with the event, or neither does.</summary>
    public async Task CarryInAsync(PrepayDb db, Guid meterId, string meterNumber, IReadOnlyList<MeterEvent> events, CancellationToken ct)
    {
        foreach (var e in events.Where(e => e.Type == HandedOverEvent))
        {
            if (Read(e.Details) is not { } register)
            {
                logger.LogWarning("Meter {Meter} reported a credit handover at {At} without its register; nothing carried in", meterNumber, e.At);
                continue;
            }
            // The latest switch to central from before the boundary, even if a switch back has been made since: the
            // meter gave its register up, and what it gave is carried in whatever came after.
            var model = await db.MeterCreditModels.Where(m => m.MeterId == meterId && m.Model == MeterCreditModelRecord.Central && m.EffectiveFrom <= e.At)
                .OrderByDescending(m => m.EffectiveFrom).FirstOrDefaultAsync(ct);
            if (model is not { HandedOverAt: null })
            {
                logger.LogWarning("Meter {Meter} handed its credit over at {At} with no switch to central waiting for it; nothing carried in", meterNumber, e.At);
                continue;
            }
            await HandOverAsync(db, meterId, meterNumber, model, e.At, register, ct);
        }
    }

    private async Task HandOverAsync(PrepayDb db, Guid meterId, string meterNumber, MeterCreditModelRecord model, Instant at, (long CreditWh, long EmergencyOwedWh) register,
        CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        // The switch's tariff, whose accounts the switch created: none may be created inside this transaction, and a
        // version published since could name a tax account that does not exist yet.
        var tariff = await tariffs.ForMeterAsync(db, meterId, model.EffectiveFrom, ct)
            ?? throw new InvalidOperationException($"Meter {meterNumber} has no tariff at its switch.");
        var carried = CarriedCredit.Value(tariff, new Energy(Math.Max(0, register.CreditWh - register.EmergencyOwedWh)), at);
        // The guard first: of two deliveries racing, one moves the row and carries in; the other throws and rolls back.
        var moved = await db.MeterCreditModels.Where(m => m.Id == model.Id && m.HandedOverAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.HandedOverAt, at)
            .SetProperty(m => m.HandedOverWh, register.CreditWh)
            .SetProperty(m => m.HandedOverEmergencyOwedWh, register.EmergencyOwedWh)
            .SetProperty(m => m.CarriedInMinor, carried.Total.Minor), ct);
        if (moved == 0)
        {
            throw new InvalidOperationException($"The switch of meter {meterNumber} to central was handed over meanwhile.");
        }
        Guid? transactionId = null;
        if (!carried.Total.IsZero)
        {
            transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
            await ledger.AddAsync(db, carried.CarriedIn(transactionId.Value, meterId, meterNumber), now, $"central-credit/{meterId:N}", ct);
        }
        // A switch back already made (its command crossed this event on the way) still ends the stretch where it said.
        var until = await db.MeterCreditModels.Where(m => m.MeterId == meterId && m.EffectiveFrom > model.EffectiveFrom)
            .OrderBy(m => m.EffectiveFrom).Select(m => (Instant?)m.EffectiveFrom).FirstOrDefaultAsync(ct);
        var state = await db.CentralCreditStates.FirstOrDefaultAsync(s => s.MeterId == meterId, ct);
        if (state is null)
        {
            db.CentralCreditStates.Add(new CentralCreditStateRecord { MeterId = meterId, PricedFrom = at, PricedUntil = until, ChangedAt = now });
        }
        else
        {
            state.PricedFrom = at;
            state.PricedUntil = until;
            state.Exhausted = false;
            state.ChangedAt = now;
        }
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = "meter",
            Action = "credit-model.handover",
            Target = $"meter/{meterNumber}",
            Details = $"register {register.CreditWh} Wh, emergency credit owed {register.EmergencyOwedWh} Wh, handed over at {at}; carried in {carried.Total.Minor} minor units for {carried.Energy.WattHours} Wh",
        });
        await db.SaveChangesAsync(ct);
        if (transactionId is { } id)
        {
            await db.MeterCreditModels.Where(m => m.Id == model.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.TransactionId, id), ct);
        }
        await Worker.UnpricedWork.QueueStoredAsync(db, meterId, at, ct);
    }

    /// <summary>The register and emergency credit owed in the event's details (<c>{"creditWh": …, "emergencyOwedWh": …}</c>), or null.</summary>
    public static (long CreditWh, long EmergencyOwedWh)? Read(string? details)
    {
        if (details is null)
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(details);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("creditWh", out var credit) && credit.TryGetInt64(out var creditWh)
                && root.TryGetProperty("emergencyOwedWh", out var owed) && owed.TryGetInt64(out var owedWh) && owedWh >= 0
                ? (creditWh, owedWh)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
