using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Security;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Storage;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Receives what DLMS meters push (<see cref="DlmsPushListener"/> on <c>Dlms:Push:Port</c>) and feeds it into the same
/// ingestion as the scheduled reads (<see cref="DlmsMeterReader.IngestPushedAsync"/>): the sender is the DLMS meter
/// whose endpoint names the system title the ciphered push carries (<see cref="DlmsEndpoints.BySystemTitleAsync"/>),
/// its keys the same as for its sessions (<see cref="IDlmsKeyProvider"/>); a plain push, when taken at all, is the
/// meter its body names. Invocation counters accepted from pushes are kept under <c>{data}/dlms/push-counters</c>, a
/// block ahead, so a replay stays refused after a restart.
/// <para>
/// The body is the virtual meter's push_object_list (<c>Prepay.Meter.Dlms.DlmsMeterPush</c>): { meter number
/// (visible-string), active import Wh (double-long-unsigned), credit Wh (double-long) }, stamped with the meter's
/// time. It becomes status (credit and register) and the events its change of credit means, never a reading: a
/// reading would move where the next load-profile read starts and lose the rows before it.
/// </para>
/// Refusals are logged with their reason and, for an unknown sender, its system title; never the payload.
/// </summary>
public sealed class DlmsPushReception(
    IServiceScopeFactory scopes,
    IDlmsKeyProvider keys,
    DlmsFleetPoller poller,
    DlmsMeterReader reader,
    DlmsOptions options,
    DlmsPushCounterFile counterFile,
    IClock clock,
    ILogger<DlmsPushReception> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>Accepted counters per sender: one flush to disk per this many.</summary>
    private const uint ReceivedBlock = 16;

    private DlmsPushListener? _listener;
    private FileReceivedCounters? _counters;
    private long _ingested;
    private long _unattributed;

    /// <summary>The port listened on, or null when pushes are off.</summary>
    public int? Port => _listener?.Port;

    /// <summary>Notifications ingested so far.</summary>
    public long Ingested => Interlocked.Read(ref _ingested);

    /// <summary>Frames refused: by the listener (malformed, unknown sender, bad tag, replay, plain) or here (a body naming another meter).</summary>
    public long Refused => (_listener?.Refused ?? 0) + Interlocked.Read(ref _unattributed);

    /// <summary>Raised after each notification is ingested or refused (tests await it instead of sleeping).</summary>
    public event Action? Handled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Push.Enabled)
        {
            return Task.CompletedTask;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(counterFile.Path)!);
        _counters = new FileReceivedCounters(counterFile.Path, ReceivedBlock);
        _listener = new DlmsPushListener(new IPEndPoint(IPAddress.Parse(options.Push.Address), options.Push.Port!.Value), new DlmsPushListenerOptions
        {
            Senders = SenderAsync,
            ReceivedCounters = _counters,
            AcceptPlain = options.Push.AcceptPlain,
            MaxConnections = options.Push.MaxConnections,
        }, ReceivedAsync);
        _listener.Dropped += refusal =>
        {
            logger.LogWarning("A DLMS push was refused: {Reason}", refusal);
            Handled?.Invoke();
        };
        _listener.Start();
        logger.LogInformation("DLMS pushes received on {Address}:{Port}{Plain}", options.Push.Address, _listener.Port, options.Push.AcceptPlain ? " (plain pushes taken)" : "");
        return Task.CompletedTask;
    }

    private async ValueTask<DlmsPushSender?> SenderAsync(Octets systemTitle, CancellationToken ct)
    {
        MeterNumber? meter;
        await using (var scope = scopes.CreateAsyncScope())
        {
            meter = await DlmsEndpoints.BySystemTitleAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), systemTitle, ct);
        }
        if (meter is not { } number)
        {
            logger.LogWarning("A DLMS push from system title {SystemTitle} names no DLMS meter's endpoint", systemTitle);
            return null;
        }
        if (keys.KeysFor(number) is not { HasGmacKeys: true } found)
        {
            logger.LogWarning("A DLMS push from meter {Meter}: no suite 0 keys are configured for it (Dlms:Keys)", number.Value);
            return null;
        }
        return new DlmsPushSender(number, found);
    }

    private async ValueTask ReceivedAsync(DlmsPushNotification pushed, CancellationToken ct)
    {
        try
        {
            if (await AttributeAsync(pushed, ct) is not { } reading)
            {
                Interlocked.Increment(ref _unattributed);
                return;
            }
            await poller.InTurnAsync(reading.Meter, c => reader.IngestPushedAsync(reading.Meter, reading.Credit, reading.Register, reading.At, c), ct);
            Interlocked.Increment(ref _ingested);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The listener would end the connection on an exception; one meter's failed write should not.
            logger.LogError(e, "A DLMS push from meter {Meter} could not be ingested", pushed.Meter?.Value);
        }
        finally
        {
            Handled?.Invoke();
        }
    }

    private sealed record PushedReading(MeterNumber Meter, Energy Credit, Energy Register, Instant At);

    /// <summary>The body read as the virtual meter's push_object_list, for the meter that sent it; null, logged, when it is not.</summary>
    private async Task<PushedReading?> AttributeAsync(DlmsPushNotification pushed, CancellationToken ct)
    {
        if (pushed.Values is not [VisibleString { Value: var named }, DoubleLongUnsigned { Value: var register }, DoubleLong { Value: var credit }]
            || !MeterNumber.TryParse(named, out var bodyMeter))
        {
            logger.LogWarning("A DLMS push from meter {Meter} does not hold {{meter, import Wh, credit Wh}}", pushed.Meter?.Value);
            return null;
        }
        if (pushed.Meter is { } sender && sender != bodyMeter)
        {
            logger.LogWarning("A DLMS push from meter {Meter} names another meter in its body; refused", sender.Value);
            return null;
        }
        if (pushed.Meter is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (!await DlmsEndpoints.IsDlmsMeterAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), bodyMeter, ct))
            {
                logger.LogWarning("A plain DLMS push names {Meter}, which is no DLMS meter with an endpoint; refused", bodyMeter.Value);
                return null;
            }
        }
        return new PushedReading(bodyMeter, new Energy(credit), new Energy(register), pushed.Stamped ?? clock.GetCurrentInstant());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
            // An orderly stop writes the exact counters, so meters need not resynchronise.
            _counters?.Checkpoint();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}

/// <summary>Where the counters accepted from pushes are kept: <c>{data}/dlms/push-counters</c>.</summary>
public sealed record DlmsPushCounterFile(string Path);
