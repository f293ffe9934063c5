using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Campaigns;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Campaigns;

/// <summary>
/// Sends smart meters their campaign's key change once it has started: for each meter not yet issued, in its own
/// write transaction, the key change tokens are made under the meter's row lock (<see cref="TokenReservations"/>,
/// which records them on the campaign) and queued as one <c>deliverToken</c>, so the meter moves whether or not
/// its customer buys. Keypad meters move with their next vend instead. Runs every
/// <see cref="CampaignOptions.Interval"/>; safe to run on several servers at once (the row lock decides).
/// </summary>
public sealed class CampaignDeliveries(IServiceScopeFactory scopes, IClock clock, TokenReservations reservations, CommandDispatcher dispatcher,
    CampaignOptions options, ILogger<CampaignDeliveries> logger) : BackgroundService
{
    /// <summary>Issues what is due now; returns how many meters were sent their key change.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var due = await (
            from m in db.KeyChangeCampaignMeters.AsNoTracking()
            join c in db.KeyChangeCampaigns on m.CampaignId equals c.Id
            where m.IsSmart && m.IssuedAt == null && c.State == CampaignState.Active && c.StartsAt <= now
            orderby c.StartsAt, m.MeterNumber
            select new { m.CampaignId, m.MeterId, m.MeterNumber })
            .Take(options.BatchSize).ToListAsync(ct);
        int sent = 0;
        foreach (var m in due)
        {
            await using var tx = await db.BeginWriteAsync(ct);
            var reserved = await reservations.ReserveAsync(db, m.MeterId, now, "campaign", ct);
            if (reserved.KeyChangeTokens is not { Count: > 0 } keyChange)
            {
                // Paused, or the order is gone (another order replaced it): nothing to send.
                await tx.RollbackAsync(ct);
                continue;
            }
            var command = CommandQueue.Enqueue(db, m.MeterId, m.MeterNumber, new DeliverToken(keyChange), now, $"campaign {m.CampaignId:N}");
            await db.KeyChangeCampaignMeters.Where(r => r.CampaignId == m.CampaignId && r.MeterId == m.MeterId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CommandId, command.Id).SetProperty(r => r.Deliveries, r => r.Deliveries + 1), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            sent++;
        }
        if (sent > 0)
        {
            dispatcher.Wake();
            logger.LogInformation("Key change campaigns: {Count} smart meters sent their key change tokens", sent);
        }
        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                while (await RunDueAsync(stoppingToken) == options.BatchSize)
                {
                    // A full batch: more may be due.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Key change campaigns: sending due key changes failed; trying again in {Interval}", options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>How often campaigns' due smart-meter key changes are sent, and how many per pass (section <c>Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Default 30 s; 1 s to 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Meters per pass, default 200; 1 to 10 000.</summary>
    public int BatchSize { get; set; } = 200;

    public string? Validate() =>
        Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromHours(1) ? "Campaigns:Interval must be 1 s to 1 hour"
        : BatchSize is < 1 or > 10_000 ? "Campaigns:BatchSize must be 1 to 10000"
        : null;
}
