using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>control_state of Disconnect control (Blue Book Ed. 12 §4.5.8).</summary>
public enum ControlState : byte
{
    Disconnected = 0,
    Connected = 1,
    ReadyForReconnection = 2,
}

/// <summary>The supply switch a disconnect control object drives: the firmware's relay.</summary>
public interface ISupplySwitch
{
    bool Connected { get; }

    /// <summary>Opens the relay; false when the firmware refuses.</summary>
    bool Disconnect();

    /// <summary>Closes the relay; false when the firmware refuses (no credit, say).</summary>
    bool Reconnect();
}

/// <summary>
/// Disconnect control, class 70 version 0 (Blue Book Ed. 12 §4.5.8), usually 0.0.96.3.10.255: 2 output_state
/// (boolean, true = connected), 3 control_state, 4 control_mode (enum 0..6; writable); methods 1 remote_disconnect and
/// 2 remote_reconnect (data integer 0). Mode 0 ("none") means the output is always connected and the methods
/// are refused; the other modes allow remote operation, which is all this object distinguishes.
/// </summary>
public sealed class DisconnectControl : CosemObject
{
    private readonly ISupplySwitch _switch;
    private byte _controlMode;

    public DisconnectControl(ObisCode logicalName, ISupplySwitch supplySwitch, byte controlMode = 1) : base(logicalName)
    {
        _switch = supplySwitch ?? throw new ArgumentNullException(nameof(supplySwitch));
        _controlMode = controlMode;
    }

    public static ObisCode StandardName { get; } = new(0, 0, 96, 3, 10, 255);

    public override ushort ClassId => 70;

    public override int AttributeCount => 4;

    public override int MethodCount => 2;

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(new DlmsBoolean(_switch.Connected)),
        3 => AttributeRead.Of(new DlmsEnum((byte)(_switch.Connected ? ControlState.Connected : ControlState.Disconnected))),
        _ => AttributeRead.Of(new DlmsEnum(_controlMode)),
    };

    protected override DataAccessResult Write(int attributeId, DlmsValue value) => (attributeId, value) switch
    {
        (4, DlmsEnum { Value: <= 6 } mode) => Apply(() => _controlMode = mode.Value),
        (4, _) => DataAccessResult.TypeUnmatched,
        _ => DataAccessResult.ReadWriteDenied,
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (_controlMode == 0)
        {
            return MethodOutcome.Of(ActionResult.ReadWriteDenied);
        }
        bool done = methodId == 1 ? _switch.Disconnect() : _switch.Reconnect();
        return MethodOutcome.Of(done ? ActionResult.Success : ActionResult.TemporaryFailure);
    }

    private static DataAccessResult Apply(Action change)
    {
        change();
        return DataAccessResult.Success;
    }
}

/// <summary>A relay with no rules: what a test or a plain meter without firmware uses.</summary>
public sealed class SimpleSupplySwitch : ISupplySwitch
{
    public bool Connected { get; private set; } = true;

    public bool Disconnect()
    {
        Connected = false;
        return true;
    }

    public bool Reconnect()
    {
        Connected = true;
        return true;
    }
}
