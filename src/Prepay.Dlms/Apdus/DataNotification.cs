using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// Data-Notification [15] (Green Book, xDLMS): long-invoke-id-and-priority (Unsigned32), date-time (an OCTET STRING,
/// empty when absent, 12 bytes otherwise) and the notification body, one Data value: what a meter pushes unasked.
/// </summary>
public sealed record DataNotification(uint LongInvokeIdAndPriority, CosemDateTime? DateTime, DlmsValue Body) : Apdu
{
    public override ApduTag Tag => ApduTag.DataNotification;

    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteUInt32(LongInvokeIdAndPriority);
        if (DateTime is { } stamp)
        {
            writer.WriteByte(CosemDateTime.Size);
            stamp.Write(writer);
        }
        else
        {
            writer.WriteByte(0);
        }
        Body.Write(writer);
    }

    internal static DataNotification Read(ref DlmsReader reader)
    {
        uint invoke = reader.ReadUInt32();
        var stamp = reader.ReadLength() switch
        {
            0 => (CosemDateTime?)null,
            CosemDateTime.Size => CosemDateTime.Read(ref reader),
            var other => throw new DlmsFormatException($"A notification's date-time has 0 or 12 bytes, not {other}."),
        };
        return new DataNotification(invoke, stamp, DlmsValue.Read(ref reader));
    }
}
