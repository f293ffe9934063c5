namespace Prepay.Dlms.Cosem.Classes;

/// <summary>attribute access_mode of the object list (Blue Book Ed. 12 §4.4.3): 0 none, 1 read, 2 write, 3 both.</summary>
public enum AttributeAccess : byte
{
    NoAccess = 0,
    ReadOnly = 1,
    WriteOnly = 2,
    ReadAndWrite = 3,
}

/// <summary>
/// What one association may do with each object: the access rights its object list publishes and the server
/// enforces. Deny by default: an association sees only the rights given here.
/// </summary>
public sealed class AccessRights
{
    private readonly Func<ICosemObject, int, AttributeAccess> _attribute;
    private readonly Func<ICosemObject, int, bool> _method;

    public AccessRights(Func<ICosemObject, int, AttributeAccess> attribute, Func<ICosemObject, int, bool> method)
    {
        _attribute = attribute;
        _method = method;
    }

    /// <summary>Read every attribute, invoke nothing but the association's own HLS reply.</summary>
    public static AccessRights ReadOnly { get; } = new((_, _) => AttributeAccess.ReadOnly, IsHlsReply);

    /// <summary>Read and write every attribute (each object still refuses its read-only ones), invoke every method.</summary>
    public static AccessRights Full { get; } = new((_, _) => AttributeAccess.ReadAndWrite, (_, _) => true);

    /// <summary>Before HLS pass 4 only the reply_to_HLS_authentication method may be invoked (Green Book).</summary>
    public static AccessRights HlsPending { get; } = new((_, _) => AttributeAccess.NoAccess, IsHlsReply);

    public AttributeAccess Attribute(ICosemObject target, int attributeId) => _attribute(target, attributeId);

    public bool Method(ICosemObject target, int methodId) => _method(target, methodId);

    public bool CanRead(ICosemObject target, int attributeId) => (Attribute(target, attributeId) & AttributeAccess.ReadOnly) != 0;

    public bool CanWrite(ICosemObject target, int attributeId) => (Attribute(target, attributeId) & AttributeAccess.WriteOnly) != 0;

    private static bool IsHlsReply(ICosemObject target, int methodId) => target.ClassId == AssociationLn.Class && methodId == 1;
}
