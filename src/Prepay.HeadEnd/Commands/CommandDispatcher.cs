using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Sends due commands and sends them again, with exponential back-off, until each is acknowledged or expires.
/// Claiming is the database's job (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, the write lock on SQLite), so
/// several servers can dispatch from one queue without sending a command twice at once; and since a meter applies
/// a command id at most once, a resend after a lost acknowledgement is harmless.
/// A meter is sent only its lowest open command (queued or sent, by <see cref="MeterCommandRecord.Seq"/>): it refuses
/// any sequence number below the last it accepted, so it must never see n + 1 before n; the next one goes once the
/// earlier is acknowledged, failed or expired. Each goes through the transport of its meter
/// (<see cref="Meter.Transport"/>), which maps the typed command to its own message and proof (MQTT v1: signed with
/// the meter's command key). A meter whose transport is not running here keeps its commands queued, not failed: they
/// are tried again at the longest back-off, and that is logged once per meter.
/// A command that would cut supply (<see cref="SupplyCuts"/>) is sent only when the <see cref="ISupplyCutGate"/>
/// allows it at that instant, on every attempt; with no gate registered none is sent (deny unless allowed).
/// </summary>
public sealed class CommandDispatcher : BackgroundService
{
    private readonly IServiceScopeFactory scopes;
    private readonly IReadOnlyDictionary<MeterTransport, IMeterTransport> transports;
    private readonly IClock clock;
    private readonly MqttOptions options;
    private readonly ILogger<CommandDispatcher> logger;
    private readonly ISupplyCutGate? gate;

    private readonly ConcurrentDictionary<string, byte> _withoutTransport = new(StringComparer.Ordinal);

    public CommandDispatcher(IServiceScopeFactory scopes, IEnumerable<IMeterTransport> transports, IClock clock, MqttOptions options,
        ILogger<CommandDispatcher> logger, Ingest.MeterMessageHandler? acknowledgements = null, ISupplyCutGate? gate = null)
    {
        this.gate = gate;
        this.scopes = scopes;
        this.transports = transports.ToDictionary(t => t.Transport);
        this.clock = clock;
        this.options = options;
        this.logger = logger;
        if (acknowledgements is not null)
        {
            acknowledgements.CommandClosed += WakeHere;
        }
    }

    /// <summary>Commands claimed per round (the LIMIT in the claim queries).</summary>
    public const int BatchSize = 200;
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>
    /// Commands were queued and committed (a vend's credit, a policy's push): a dispatch round now here instead of at
    /// the next interval, and <see cref="CommandsQueued"/> tells the other nodes (whose transports may serve meters
    /// this one cannot). Call it after the commit: a round before it would not see the commands.
    /// </summary>
    public void Wake()
    {
        WakeHere();
        CommandsQueued?.Invoke();
    }

    /// <summary>A dispatch round now on this node only (another node's announcement, an acknowledgement that frees a meter's next command).</summary>
    public void WakeHere()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Raised by <see cref="Wake"/>: on PostgreSQL <see cref="CommandNotifications"/> passes it on to the other nodes.</summary>
    public event Action? CommandsQueued;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchOnceAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Command dispatch failed; trying again");
            }
            await _wake.WaitAsync(options.DispatchInterval, stoppingToken);
        }
    }

    /// <summary>One round: expire what is too old, claim what is due, send it. Returns how many were sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        List<MeterCommandRecord> due;
        var sends = new List<(IMeterTransport Transport, MeterNumber Meter, CommandEnvelope Envelope, MeterCommandRecord Queued)>();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // Inside the claim's transaction: on SQLite a write outside the writers' queue finds the file locked by
            // a queued writer (every vend wakes a round) and Microsoft.Data.Sqlite sleeps on it before trying again.
            await db.MeterCommands
                .Where(c => (c.State == CommandState.Queued || c.State == CommandState.Sent) && c.ExpiresAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Expired), ct);
            var ticks = now.ToUnixTimeTicks();
            var display = MeterLink.Mqtt.CommandTypes.ShowBalance;
            // Due, and the lowest open one of its meter (an earlier open command, due or waiting for its retry, holds
            // it back), displays apart: they hold nothing back (DisplayCommands).
            due = await (db.Provider == DatabaseProvider.Postgres
                    ? db.MeterCommands.FromSql($"SELECT * FROM meter_commands c WHERE c.state IN ('Queued', 'Sent') AND c.next_attempt_at <= {ticks} AND c.expires_at > {ticks} AND NOT EXISTS (SELECT 1 FROM meter_commands e WHERE e.meter_id = c.meter_id AND e.state IN ('Queued', 'Sent') AND e.seq < c.seq AND e.type <> {display}) ORDER BY c.next_attempt_at LIMIT 200 FOR UPDATE OF c SKIP LOCKED")
                    : db.MeterCommands.FromSql($"SELECT * FROM meter_commands c WHERE c.state IN ('Queued', 'Sent') AND c.next_attempt_at <= {ticks} AND c.expires_at > {ticks} AND NOT EXISTS (SELECT 1 FROM meter_commands e WHERE e.meter_id = c.meter_id AND e.state IN ('Queued', 'Sent') AND e.seq < c.seq AND e.type <> {display}) ORDER BY c.next_attempt_at LIMIT 200"))
                .ToListAsync(ct);
            // A later command going out now overtakes an open display: the meter would refuse the display's lower
            // number after accepting the later one, so it is withdrawn here and its sender sends the value again.
            var overtaking = due.Where(c => !DisplayCommands.IsDisplay(c.Type)).GroupBy(c => c.MeterId).ToDictionary(g => g.Key, g => g.Max(c => c.Seq));
            foreach (var (meterId, seq) in overtaking)
            {
                await db.MeterCommands
                    .Where(c => c.MeterId == meterId && c.Type == display && c.Seq < seq && (c.State == CommandState.Queued || c.State == CommandState.Sent))
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, CommandState.Cancelled).SetProperty(c => c.Outcome, DisplayCommands.SupersededByLater), ct);
            }
            due.RemoveAll(c => DisplayCommands.IsDisplay(c.Type) && overtaking.TryGetValue(c.MeterId, out var later) && c.Seq < later);
            var meterIds = due.Select(c => c.MeterId).Distinct().ToList();
            var meterTransports = await db.Meters.AsNoTracking().Where(m => meterIds.Contains(m.Id)).Select(m => new { m.Id, m.Transport })
                .ToDictionaryAsync(m => m.Id, m => m.Transport, ct);
            foreach (var c in due)
            {
                var kind = meterTransports.GetValueOrDefault(c.MeterId);
                if (StoredCommands.Read(c.Type, c.Arguments, out var unreadable) is not { } command)
                {
                    // Only a row written by hand gets here: every queued command is written from a typed one.
                    c.State = CommandState.Failed;
                    c.Outcome = Truncate($"unreadable: {unreadable}");
                    logger.LogError("Command {Command} for meter {Meter} cannot be read ({Error}); failed", c.Id, c.MeterNumber, unreadable);
                }
                else if (!transports.TryGetValue(kind, out var transport))
                {
                    // Left queued, not failed: it goes once this server runs the meter's transport (or the meter is moved to one it runs).
                    c.NextAttemptAt = now + Duration.FromTimeSpan(options.MaxRetryDelay);
                    if (_withoutTransport.TryAdd(c.MeterNumber, 0))
                    {
                        logger.LogWarning("Meter {Meter} is a {Transport} meter and no {Transport} transport runs here; its commands stay queued",
                            c.MeterNumber, MeterTransports.Name(kind), MeterTransports.Name(kind));
                    }
                }
                else if (!transport.CanCarry(command))
                {
                    c.State = CommandState.Failed;
                    c.Outcome = $"unsupported: the {MeterTransports.Name(kind)} transport cannot carry {c.Type}";
                    logger.LogWarning("Command {Command} for meter {Meter}: {Type} cannot go over {Transport}; failed", c.Id, c.MeterNumber, c.Type, MeterTransports.Name(kind));
                }
                else if (SupplyCuts.Cuts(command) && await GateAsync(db, c, command, now, ct) is { Send: false } refused)
                {
                    // Withdrawn, not left queued: a held disconnection must not hold back the meter's later commands
                    // (a top-up's credit). The gate keeps it to send when the policy allows.
                    c.State = CommandState.Cancelled;
                    c.Outcome = Truncate(refused.Outcome ?? "refused by the disconnection policy");
                }
                else
                {
                    c.Attempts++;
                    c.State = CommandState.Sent;
                    c.SentAt = now;
                    c.NextAttemptAt = now + RetryDelay(c.Attempts);
                    sends.Add((transport, MeterNumber.Parse(c.MeterNumber), new CommandEnvelope(c.Id, c.Seq, c.CreatedAt, c.ExpiresAt, command), c));
                }
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        foreach (var (transport, meter, envelope, queued) in sends)
        {
            // In the trace of what queued it; the transport carries the context on where it can (MQTT 5).
            using var span = CommandTracing.StartSend(queued.TraceParent, queued.Id, queued.MeterNumber, queued.Type, queued.Attempts);
            if (!await transport.SendAsync(meter, envelope, ct))
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "not handed to its transport");
                logger.LogWarning("Command {Command} for meter {Meter} not handed to its transport; it will be retried", envelope.CommandId, meter.Value);
            }
        }
        return due.Count;
    }

    private async Task<GateAnswer> GateAsync(PrepayDb db, MeterCommandRecord queued, MeterCommand command, Instant now, CancellationToken ct) =>
        gate is null
            ? GateAnswer.Refuse("refused: no disconnection policy gate runs on this server")
            : await gate.MaySendAsync(db, queued, command, now, ct);

    private static string Truncate(string outcome) => outcome.Length > 500 ? outcome[..500] : outcome;

    /// <summary>2, 4, 8 … seconds, at most <see cref="MqttOptions.MaxRetryDelay"/>.</summary>
    public Duration RetryDelay(int attempts) =>
        Duration.FromSeconds(Math.Min(options.MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Min(attempts, 20))));
}
