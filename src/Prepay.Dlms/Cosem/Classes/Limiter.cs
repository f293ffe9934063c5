using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Limiter, class 71 version 0 (Blue Book Ed. 12 §4.5.9): 2 monitored_value (class, name, attribute),
/// 3 threshold_active, 4 threshold_normal, 5 threshold_emergency, 6 min_over_threshold_duration,
/// 7 min_under_threshold_duration (seconds), 8 emergency_profile { id, activation_time, duration },
/// 9 emergency_profile_group_id_list, 10 emergency_profile_active, 11 actions { over, under } (script
/// references). Thresholds are in the monitored value's type (double-long-unsigned here). No methods. The
/// meter's firmware reads <see cref="ThresholdActive"/>; the limiter only holds the parameters.
/// </summary>
public sealed class Limiter : CosemObject
{
    private readonly AttributeTable _table = new(11);

    public Limiter(ObisCode logicalName, CaptureObject monitored, uint thresholdNormal, uint thresholdEmergency) : base(logicalName)
    {
        var noScript = Structure(Name(default), new LongUnsigned(0));
        _table.Define(2, Structure(new LongUnsigned(monitored.ClassId), Name(monitored.LogicalName), new Integer(monitored.AttributeId)), writable: true)
            .Define(3, new DoubleLongUnsigned(thresholdNormal))
            .Define(4, new DoubleLongUnsigned(thresholdNormal), writable: true)
            .Define(5, new DoubleLongUnsigned(thresholdEmergency), writable: true)
            .Define(6, new DoubleLongUnsigned(60), writable: true)
            .Define(7, new DoubleLongUnsigned(60), writable: true)
            .Define(8, Structure(new LongUnsigned(0), UnspecifiedDateTime, new DoubleLongUnsigned(0)), writable: true)
            .Define(9, Array([]), writable: true)
            .Define(10, new DlmsBoolean(false))
            .Define(11, Structure(noScript, noScript), writable: true);
    }

    public override ushort ClassId => 71;

    public override int AttributeCount => 11;

    /// <summary>The threshold in force: normal, or emergency while an emergency profile is active.</summary>
    public uint ThresholdActive
    {
        get
        {
            lock (Sync)
            {
                return ((DoubleLongUnsigned)_table[3]).Value;
            }
        }
    }

    protected override AttributeRead Read(int attributeId) => _table.Read(attributeId);

    protected override DataAccessResult Write(int attributeId, DlmsValue value)
    {
        var result = _table.Write(attributeId, value);
        if (result == DataAccessResult.Success && attributeId == 4 && _table[10] is DlmsBoolean { Value: false })
        {
            _table[3] = value; // a new normal threshold takes effect at once outside an emergency
        }
        return result;
    }
}
