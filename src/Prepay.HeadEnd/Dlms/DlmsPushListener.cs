using System.Net;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Receives what meters push over the TCP wrapper (IEC 62056-47): Data-Notification APDUs, plain or inside
/// general-glo-ciphering (Green Book: a notification has no service-specific glo- tag, so the ciphered form carries
/// the sender's system title, by which its keys are found). Each accepted notification is decoded and handed to the
/// callback in the order the connection carried it; a frame that is malformed, from an unknown sender, fails its
/// tag or replays a counter is dropped and counted, and the connection goes on. Notifications are unconfirmed:
/// nothing is sent back. The callback handles its own failures: an exception from it ends that connection and is
/// rethrown by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class DlmsPushListener : IAsyncDisposable
{
    private readonly DlmsPushListenerOptions _options;
    private readonly Func<DlmsPushNotification, CancellationToken, ValueTask> _received;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots;
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private Task? _loop;
    private long _accepted;
    private long _refused;

    public DlmsPushListener(IPEndPoint endpoint, DlmsPushListenerOptions options, Func<DlmsPushNotification, CancellationToken, ValueTask> received)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _received = received ?? throw new ArgumentNullException(nameof(received));
        _listener = new TcpListener(endpoint);
        _slots = new SemaphoreSlim(options.MaxConnections);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Called for every dropped frame with the reason: for counters and logs (it carries no payload).</summary>
    public event Action<DlmsPushRefusal>? Dropped;

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var served = Task.Run(async () =>
            {
                try
                {
                    using (client)
                    {
                        await ServeAsync(client, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _slots.Release();
                }
            }, CancellationToken.None);
            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(served);
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        client.NoDelay = true;
        var reader = new WrapperFrameReader(client.GetStream());
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(_options.InactivityTimeout);
                var frame = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    return;
                }
                var (notification, refusal) = await DecodeAsync(frame.Apdu, cancellationToken).ConfigureAwait(false);
                if (notification is null)
                {
                    Interlocked.Increment(ref _refused);
                    Dropped?.Invoke(refusal);
                    continue;
                }
                Interlocked.Increment(ref _accepted);
                await _received(notification, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DlmsFormatException or IOException or OperationCanceledException or SocketException)
        {
            // A broken wrapper header, a reset or silence ends this connection; the meter connects again for its next push.
        }
    }

    private async ValueTask<(DlmsPushNotification? Notification, DlmsPushRefusal Refusal)> DecodeAsync(Octets apdu, CancellationToken cancellationToken)
    {
        Apdu decoded;
        try
        {
            decoded = Apdu.Decode(apdu.Span);
        }
        catch (DlmsFormatException)
        {
            return (null, DlmsPushRefusal.Malformed);
        }
        return decoded switch
        {
            DataNotification plain when _options.AcceptPlain => (Notification(plain, null, null), default),
            DataNotification => (null, DlmsPushRefusal.PlainRefused),
            GeneralGloCiphering ciphered => await UnprotectAsync(ciphered, cancellationToken).ConfigureAwait(false),
            _ => (null, DlmsPushRefusal.Malformed),
        };
    }

    private async ValueTask<(DlmsPushNotification? Notification, DlmsPushRefusal Refusal)> UnprotectAsync(GeneralGloCiphering ciphered, CancellationToken cancellationToken)
    {
        if (ciphered.SystemTitle.Length != SecuritySuite0.SystemTitleSize || !ciphered.Control.Authenticated)
        {
            return (null, DlmsPushRefusal.Malformed);
        }
        if (await _options.Senders(ciphered.SystemTitle, cancellationToken).ConfigureAwait(false) is not { Keys.HasGmacKeys: true } sender)
        {
            return (null, DlmsPushRefusal.UnknownSender);
        }
        byte[] plain;
        try
        {
            using var suite = sender.Keys.CreateSuite();
            plain = suite.Unprotect(new CipheredApdu(0xDB, ciphered.Control, ciphered.InvocationCounter, ciphered.Payload), ciphered.SystemTitle.Span);
        }
        catch (DlmsAuthenticationException)
        {
            return (null, DlmsPushRefusal.AuthenticationFailed);
        }
        catch (DlmsFormatException)
        {
            return (null, DlmsPushRefusal.Malformed);
        }
        // The counter is held only once the tag proved who sent it: a forged frame cannot raise it.
        if (!_options.ReceivedCounters.TryAccept(ciphered.SystemTitle, ciphered.InvocationCounter))
        {
            return (null, DlmsPushRefusal.Replayed);
        }
        try
        {
            return Apdu.Decode(plain) is DataNotification notification
                ? (Notification(notification, sender, ciphered.SystemTitle), default)
                : (null, DlmsPushRefusal.Malformed);
        }
        catch (DlmsFormatException)
        {
            return (null, DlmsPushRefusal.Malformed);
        }
    }

    private static DlmsPushNotification Notification(DataNotification notification, DlmsPushSender? sender, Octets? title) => new(
        sender?.Meter,
        title,
        sender is not null,
        notification.LongInvokeIdAndPriority,
        notification.DateTime?.ToOffsetDateTime()?.ToInstant(),
        notification.Body is DlmsStructure body ? [.. body.Fields] : [notification.Body]);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
        _slots.Dispose();
    }
}
