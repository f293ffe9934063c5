using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>association_status of Association LN (Blue Book Ed. 12 §4.4.3).</summary>
public enum AssociationStatus : byte
{
    NonAssociated = 0,
    AssociationPending = 1,
    Associated = 2,
}

/// <summary>
/// Association LN, class 15 version 1 (Blue Book Ed. 12 §4.4.3), one instance per association at 0.0.40.0.0.255
/// ("current association"): 2 object_list (class, version, name, access rights as this association holds them),
/// 3 associated_partners_id, 4 application_context_name, 5 xDLMS_context_info, 6 authentication_mechanism_name,
/// 7 secret (never readable), 8 association_status, 9 security_setup_reference. Method 1
/// reply_to_HLS_authentication takes f(StoC) and returns f(CtoS) through the association's check; methods
/// 2-4 (change secret, add and remove objects) are refused: keys and objects come from configuration.
/// </summary>
public sealed class AssociationLn : CosemObject
{
    public const ushort Class = 15;

    private readonly Func<IReadOnlyList<ICosemObject>> _objects;
    private readonly Func<Octets, Octets?> _replyToHls;

    public AssociationLn(
        Func<IReadOnlyList<ICosemObject>> objects,
        AccessRights rights,
        sbyte clientSap,
        ushort serverSap,
        ApplicationContext context,
        AuthenticationMechanism mechanism,
        Func<Octets, Octets?> replyToHls,
        ObisCode? logicalName = null)
        : base(logicalName ?? CurrentAssociation)
    {
        _objects = objects;
        Rights = rights;
        ClientSap = clientSap;
        ServerSap = serverSap;
        Context = context;
        Mechanism = mechanism;
        _replyToHls = replyToHls;
    }

    public static ObisCode CurrentAssociation { get; } = new(0, 0, 40, 0, 0, 255);

    public static ObisCode SecuritySetupName { get; } = new(0, 0, 43, 0, 0, 255);

    public AccessRights Rights { get; set; }

    /// <summary>The rights the association gets once HLS pass 4 succeeds; before, <see cref="Rights"/> holds.</summary>
    public AccessRights? RightsWhenAuthenticated { get; init; }

    public AssociationStatus Status { get; set; } = AssociationStatus.AssociationPending;

    public Conformance Conformance { get; set; }

    public ushort MaxReceivePduSize { get; set; }

    public ushort MaxSendPduSize { get; set; }

    public sbyte ClientSap { get; }

    public ushort ServerSap { get; }

    public ApplicationContext Context { get; }

    public AuthenticationMechanism Mechanism { get; }

    public override ushort ClassId => Class;

    public override byte Version => 1;

    public override int AttributeCount => 9;

    public override int MethodCount => 4;

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(ObjectList()),
        3 => AttributeRead.Of(CosemValues.Structure(new Integer(ClientSap), new LongUnsigned(ServerSap))),
        4 => AttributeRead.Of(CosemValues.Bytes(Ber.DlmsUaName(1, (byte)Context))),
        5 => AttributeRead.Of(CosemValues.Structure(
            new DlmsBitString(24, new Octets([(byte)((uint)Conformance >> 16), (byte)((uint)Conformance >> 8), (byte)Conformance])),
            new LongUnsigned(MaxReceivePduSize), new LongUnsigned(MaxSendPduSize), new Unsigned(6), new Integer(0),
            new OctetString(Octets.Empty))),
        6 => AttributeRead.Of(CosemValues.Bytes(Ber.DlmsUaName(2, (byte)Mechanism))),
        7 => AttributeRead.Failed(DataAccessResult.ReadWriteDenied),
        8 => AttributeRead.Of(new DlmsEnum((byte)Status)),
        _ => AttributeRead.Of(CosemValues.Name(SecuritySetupName)),
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (methodId != 1)
        {
            return MethodOutcome.Of(ActionResult.ReadWriteDenied);
        }
        if (parameters is not OctetString answer)
        {
            return MethodOutcome.Of(ActionResult.TypeUnmatched);
        }
        // Green Book, HLS pass 3 and 4: a wrong f(StoC) leaves the association pending and is answered with
        // other-reason and no data; a right one returns f(CtoS) and the association is established.
        if (_replyToHls(answer.Value) is not { } reply)
        {
            return MethodOutcome.Of(ActionResult.OtherReason);
        }
        Status = AssociationStatus.Associated;
        Rights = RightsWhenAuthenticated ?? Rights;
        return new MethodOutcome(ActionResult.Success, new OctetString(reply));
    }

    private DlmsArray ObjectList() => CosemValues.Array(_objects().Select(o => (DlmsValue)CosemValues.Structure(
        new LongUnsigned(o.ClassId),
        new Unsigned(o.Version),
        CosemValues.Name(o.LogicalName),
        CosemValues.Structure(
            CosemValues.Array(Enumerable.Range(1, o.AttributeCount).Select(a => (DlmsValue)CosemValues.Structure(
                new Integer((sbyte)a), new DlmsEnum((byte)Rights.Attribute(o, a)), NullData.Instance))),
            CosemValues.Array(Enumerable.Range(1, o.MethodCount).Select(m => (DlmsValue)CosemValues.Structure(
                new Integer((sbyte)m), new DlmsBoolean(Rights.Method(o, m)))))))));
}
