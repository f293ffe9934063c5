using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>The outcome of reading one attribute: a value, or the Data-Access-Result that says why not.</summary>
public sealed record AttributeRead(DataAccessResult Result, DlmsValue? Value)
{
    public static AttributeRead Of(DlmsValue value) => new(DataAccessResult.Success, value);

    public static AttributeRead Failed(DataAccessResult result) => new(result, null);
}

/// <summary>The outcome of invoking one method: an Action-Result and the optional return parameters.</summary>
public sealed record MethodOutcome(ActionResult Result, DlmsValue? ReturnValue = null)
{
    public static MethodOutcome Success { get; } = new(ActionResult.Success);

    public static MethodOutcome Of(ActionResult result) => new(result);
}

/// <summary>
/// A server-side COSEM object (Blue Book, DLMS UA 1000-1 Ed. 12, §4.1 "Basic principles"): an instance of an
/// interface class, named by its logical name (attribute 1 of every class), whose attributes are read and written
/// and whose methods are invoked by number as the Blue Book numbers them.
/// </summary>
public interface ICosemObject
{
    ushort ClassId { get; }

    byte Version { get; }

    ObisCode LogicalName { get; }

    /// <summary>How many attributes the class defines (logical_name included): the object list's access rights.</summary>
    int AttributeCount { get; }

    int MethodCount { get; }

    AttributeRead Get(int attributeId, SelectiveAccess? access = null);

    DataAccessResult Set(int attributeId, DlmsValue value);

    MethodOutcome Invoke(int methodId, DlmsValue? parameters);
}

/// <summary>
/// The shared part of every class: attribute 1 (logical_name, read-only octet-string of 6 bytes), refusal of
/// attribute and method ids the class does not define (object-undefined), and of writes to read-only attributes
/// (read-write-denied). Objects are used by one association at a time; a lock keeps the server's view whole.
/// </summary>
public abstract class CosemObject : ICosemObject
{
    protected CosemObject(ObisCode logicalName) => LogicalName = logicalName;

    protected object Sync { get; } = new();

    public abstract ushort ClassId { get; }

    public virtual byte Version => 0;

    public ObisCode LogicalName { get; }

    public abstract int AttributeCount { get; }

    public virtual int MethodCount => 0;

    public AttributeRead Get(int attributeId, SelectiveAccess? access = null)
    {
        if (attributeId < 1 || attributeId > AttributeCount)
        {
            return AttributeRead.Failed(DataAccessResult.ObjectUndefined);
        }
        if (attributeId == 1)
        {
            return access is null ? AttributeRead.Of(new OctetString(new Octets(LogicalName.ToBytes()))) : AttributeRead.Failed(DataAccessResult.ScopeOfAccessViolated);
        }
        lock (Sync)
        {
            return access is null ? Read(attributeId) : ReadSelected(attributeId, access);
        }
    }

    public DataAccessResult Set(int attributeId, DlmsValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (attributeId < 1 || attributeId > AttributeCount)
        {
            return DataAccessResult.ObjectUndefined;
        }
        if (attributeId == 1)
        {
            return DataAccessResult.ReadWriteDenied;
        }
        lock (Sync)
        {
            return Write(attributeId, value);
        }
    }

    public MethodOutcome Invoke(int methodId, DlmsValue? parameters)
    {
        if (methodId < 1 || methodId > MethodCount)
        {
            return MethodOutcome.Of(ActionResult.ObjectUndefined);
        }
        lock (Sync)
        {
            return Call(methodId, parameters);
        }
    }

    /// <summary>Attributes 2..<see cref="AttributeCount"/>.</summary>
    protected abstract AttributeRead Read(int attributeId);

    /// <summary>Selective access is defined for few attributes (profile generic's buffer); others refuse it.</summary>
    protected virtual AttributeRead ReadSelected(int attributeId, SelectiveAccess access) =>
        AttributeRead.Failed(DataAccessResult.ScopeOfAccessViolated);

    protected virtual DataAccessResult Write(int attributeId, DlmsValue value) => DataAccessResult.ReadWriteDenied;

    protected virtual MethodOutcome Call(int methodId, DlmsValue? parameters) => MethodOutcome.Of(ActionResult.ObjectUndefined);

    public override string ToString() => FormattableString.Invariant($"class {ClassId} {LogicalName}");
}
