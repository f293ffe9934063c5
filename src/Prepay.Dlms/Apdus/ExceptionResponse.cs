using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>ExceptionResponse state-error (Green Book).</summary>
public enum StateError : byte
{
    ServiceNotAllowed = 1,
    ServiceUnknown = 2,
}

/// <summary>ExceptionResponse service-error (Green Book); invocation-counter-error carries the expected counter.</summary>
public enum ServiceError : byte
{
    OperationNotPossible = 0,
    ServiceNotSupported = 1,
    OtherReason = 2,
    PduTooLong = 3,
    DecipheringError = 4,
    InvocationCounterError = 5,
}

/// <summary>
/// ExceptionResponse [216] (Green Book, xDLMS): a server's answer to an APDU it cannot process at all.
/// <see cref="InvocationCounter"/> is present exactly when the service error is an invocation-counter error.
/// </summary>
public sealed record ExceptionResponse(StateError StateError, ServiceError ServiceError, uint? InvocationCounter = null) : Apdu
{
    public override ApduTag Tag => ApduTag.ExceptionResponse;

    internal override void WriteBody(DlmsWriter writer)
    {
        if ((ServiceError == ServiceError.InvocationCounterError) != InvocationCounter.HasValue)
        {
            throw new ArgumentException("An invocation counter goes with, and only with, an invocation-counter error.");
        }
        writer.WriteByte((byte)StateError);
        writer.WriteByte((byte)ServiceError);
        if (InvocationCounter is { } counter)
        {
            writer.WriteUInt32(counter);
        }
    }

    internal static ExceptionResponse Read(ref DlmsReader reader)
    {
        var state = (StateError)reader.ReadByte();
        var service = (ServiceError)reader.ReadByte();
        return new ExceptionResponse(state, service, service == ServiceError.InvocationCounterError ? reader.ReadUInt32() : null);
    }
}
