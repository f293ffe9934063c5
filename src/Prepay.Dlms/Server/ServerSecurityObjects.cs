using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;

namespace Prepay.Dlms.Server;

/// <summary>
/// The objects the server keeps about its own security: the Security setup of the management association
/// (0.0.43.0.0.255, the one every Association LN's security_setup_reference names) with the policy, suite 0, the
/// server's system title and the client's title learnt from the last HLS AARQ; and, when ciphering, the Data
/// object 0.0.43.1.0.255 holding the invocation counter of that security setup. Its value is the lowest counter
/// the server accepts next (one above the highest it holds as used, ceilings after a crash included), which is what
/// a client needs to resynchronise; the public client may read it without security, as the Blue Book intends.
/// </summary>
internal sealed class ServerSecurityObjects
{
    public static readonly ObisCode CounterName = SecuritySetup.InvocationCounterOf(0);

    public ServerSecurityObjects(DlmsServerOptions options)
    {
        var setup = options.Objects.OfType<SecuritySetup>().FirstOrDefault(o => o.LogicalName == AssociationLn.SecuritySetupName);
        var added = new List<ICosemObject>();
        if (setup is null)
        {
            setup = new SecuritySetup(AssociationLn.SecuritySetupName,
                options.Suite is null ? SecurityPolicy.Nothing : SecurityPolicy.AllMessagesAuthenticatedAndEncrypted, options.SystemTitle);
            added.Add(setup);
        }
        if (options.Suite is not null && !options.Objects.Any(o => o.LogicalName == CounterName))
        {
            var received = options.ReceivedCounters;
            added.Add(new Data(CounterName, () => new DoubleLongUnsigned(NextAcceptable(received))));
        }
        Setup = setup;
        Served = added.Count == 0 ? options.Objects : [.. options.Objects, .. added];
    }

    public SecuritySetup Setup { get; }

    private static uint NextAcceptable(Security.IReceivedCounterStore received) =>
        received.HighestAccepted() is { } used ? used == uint.MaxValue ? used : used + 1 : 1;

    public IReadOnlyList<ICosemObject> Served { get; }
}
