using Prepay.Dlms.Acse;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;

namespace Prepay.Dlms.Client;

/// <summary>
/// Keeps a client's invocation counter above what the server holds as used. A client whose counter fell behind
/// (a fresh counter file, or a server that reserved a block of counters ahead before it crashed) sees its
/// glo-initiate-request refused with authentication-failure; it then reads the server's invocation counter
/// 0.0.43.1.x.255 as the public client (no security, Blue Book: that object exists so that clients can
/// resynchronise), moves its own counter up to it and associates once more. A counter that was not behind (a wrong
/// key, say) leaves the refusal as it was.
/// </summary>
public static class CounterResynchronisation
{
    /// <summary>Reads 0.0.43.1.<paramref name="securitySetup"/>.255 with a public association; null when the server has none.</summary>
    public static async Task<uint?> ReadServerCounterAsync(string host, int port, ushort serverAddress = 1, byte securitySetup = 0, CancellationToken cancellationToken = default)
    {
        var publicClient = new DlmsClientOptions { ClientAddress = 16, ServerAddress = serverAddress };
        await using var client = await DlmsClient.ConnectAsync(host, port, publicClient, cancellationToken).ConfigureAwait(false);
        await client.AssociateAsync(cancellationToken).ConfigureAwait(false);
        var read = await client.GetAsync(new CosemAttributeDescriptor(1, SecuritySetup.InvocationCounterOf(securitySetup), 2), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return read.Value switch
        {
            DoubleLongUnsigned v => v.Value,
            Long64Unsigned v when v.Value <= uint.MaxValue => (uint)v.Value,
            _ => null,
        };
    }

    /// <summary>
    /// Connects and associates; with HLS-GMAC, a refused association is retried once after moving the counter up to
    /// the server's when ours was behind. The caller owns the returned client.
    /// </summary>
    public static async Task<DlmsClient> ConnectAndAssociateAsync(string host, int port, DlmsClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = await DlmsClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AssociateAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (DlmsAssociationRefusedException refused) when (options.Mechanism == AuthenticationMechanism.HighGmac && refused.Diagnostic == AssociateDiagnostic.AuthenticationFailure)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            // Behind: the refused glo-initiate-request's counter was below what the server accepts next. The store
            // may already stand at or above that (the refused attempt used a value too), so it need not move.
            if (await ReadServerCounterAsync(host, port, options.ServerAddress, 0, cancellationToken).ConfigureAwait(false) is not { } expected
                || client.InitiateCounter is not { } used || used >= expected)
            {
                throw;
            }
            options.OutgoingCounter.AdvanceTo(expected);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var again = await DlmsClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await again.AssociateAsync(cancellationToken).ConfigureAwait(false);
            return again;
        }
        catch
        {
            await again.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
