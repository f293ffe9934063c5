using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>security_policy of Security setup version 0 (Blue Book Ed. 12 §4.4.7).</summary>
public enum SecurityPolicy : byte
{
    Nothing = 0,
    AllMessagesAuthenticated = 1,
    AllMessagesEncrypted = 2,
    AllMessagesAuthenticatedAndEncrypted = 3,
}

/// <summary>
/// Security setup, class 64 version 0 (Blue Book Ed. 12 §4.4.7), at 0.0.43.0.e.255: 2 security_policy,
/// 3 security_suite (0 = AES-GCM-128), 4 client_system_title, 5 server_system_title. Methods 1 security_activate
/// and 2 global_key_transfer are refused: policy and keys come from the meter's configuration, not the wire.
/// </summary>
public sealed class SecuritySetup : CosemObject
{
    public SecuritySetup(ObisCode logicalName, SecurityPolicy policy, Octets serverSystemTitle, Octets clientSystemTitle = default)
        : base(logicalName)
    {
        Policy = policy;
        ServerSystemTitle = serverSystemTitle;
        ClientSystemTitle = clientSystemTitle;
    }

    /// <summary>0.0.43.0.x.255: security setup instance x (Blue Book, OBIS for security setup objects).</summary>
    public static ObisCode NameOf(byte instance) => new(0, 0, 43, 0, instance, 255);

    /// <summary>
    /// 0.0.43.1.x.255: the Data object holding the invocation counter of security setup x (Blue Book, "Invocation
    /// counter"), which a client reads without security to resynchronise its own counter.
    /// </summary>
    public static ObisCode InvocationCounterOf(byte instance) => new(0, 0, 43, 1, instance, 255);

    public SecurityPolicy Policy { get; }

    public Octets ServerSystemTitle { get; }

    /// <summary>The system title of the client of the current association, learnt from its AARQ.</summary>
    public Octets ClientSystemTitle { get; set; }

    public override ushort ClassId => 64;

    public override int AttributeCount => 5;

    public override int MethodCount => 2;

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(new DlmsEnum((byte)Policy)),
        3 => AttributeRead.Of(new DlmsEnum(0)),
        4 => AttributeRead.Of(new OctetString(ClientSystemTitle)),
        _ => AttributeRead.Of(new OctetString(ServerSystemTitle)),
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters) => MethodOutcome.Of(ActionResult.ReadWriteDenied);
}
