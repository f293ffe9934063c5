using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// EventNotificationRequest [194] (Green Book, xDLMS): time OCTET STRING OPTIONAL (a 12-byte date-time), the
/// attribute that changed and its value. Unconfirmed: there is no response.
/// </summary>
public sealed record EventNotification(CosemDateTime? Time, CosemAttributeDescriptor Attribute, DlmsValue Value) : Apdu
{
    public override ApduTag Tag => ApduTag.EventNotificationRequest;

    internal override void WriteBody(DlmsWriter writer)
    {
        if (Time is { } stamp)
        {
            writer.WriteByte(1);
            writer.WriteByte(CosemDateTime.Size);
            stamp.Write(writer);
        }
        else
        {
            writer.WriteByte(0);
        }
        Attribute.Write(writer);
        Value.Write(writer);
    }

    internal static EventNotification Read(ref DlmsReader reader)
    {
        CosemDateTime? time = null;
        if (reader.ReadBoolean())
        {
            int length = reader.ReadLength();
            time = length == CosemDateTime.Size
                ? CosemDateTime.Read(ref reader)
                : throw new DlmsFormatException($"An event notification's time has 12 bytes, not {length}.");
        }
        var attribute = CosemAttributeDescriptor.Read(ref reader);
        return new EventNotification(time, attribute, DlmsValue.Read(ref reader));
    }
}
