using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;

namespace Prepay.CentralCredit.Tests;

/// <summary>What the central-credit tests do to a server with the worker off: store readings, run the rounds, read back.</summary>
internal static class CentralRounds
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs pricing rounds until one finds nothing to do.</summary>
    public static async Task PriceAsync(ServerFixture server)
    {
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
    }

    public static async Task<Guid> MeterIdAsync(ServerFixture server, string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    /// <summary>Interval readings of 100 Wh ending at <paramref name="ats"/>, stored as the head-end would (the queue's triggers run).</summary>
    public static async Task InsertAsync(ServerFixture server, Guid meterId, IEnumerable<Instant> ats)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var at in ats)
        {
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = 100 });
        }
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The meter's central balance in ZAR minor units, as the ledger keeps it.</summary>
    public static async Task<long> BalanceAsync(ServerFixture server, Guid meterId)
    {
        await using var scope = server.Scope();
        return await LedgerStore.BalanceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), AccountCode.MeterCentralCredit(meterId, "ZAR"), Ct);
    }
}
