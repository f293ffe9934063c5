using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// An APDU of the COSEM application layer: the xDLMS services (A-XDR) and the ACSE association services (BER),
/// one sealed record per service variant. <see cref="Decode"/> picks the reader by the first byte from a table.
/// </summary>
public abstract record Apdu
{
    private protected Apdu() { }

    public abstract ApduTag Tag { get; }

    /// <summary>Everything after the tag byte.</summary>
    internal abstract void WriteBody(DlmsWriter writer);

    public byte[] Encode()
    {
        var writer = DlmsWriter.Rent();
        WriteTo(writer);
        return DlmsWriter.ReturnArray(writer);
    }

    /// <summary>The tag and the body: the whole APDU.</summary>
    internal void WriteTo(DlmsWriter writer)
    {
        writer.WriteByte((byte)Tag);
        WriteBody(writer);
    }

    /// <summary>Decodes exactly one APDU filling <paramref name="bytes"/>; throws <see cref="DlmsFormatException"/> otherwise.</summary>
    public static Apdu Decode(ReadOnlySpan<byte> bytes) => ApduDecoder.Decode(bytes);
}

/// <summary>The first byte of each APDU (Green Book, xDLMS and ACSE ASN.1 tags).</summary>
public enum ApduTag : byte
{
    InitiateRequest = 0x01,
    InitiateResponse = 0x08,
    ConfirmedServiceError = 0x0E,
    DataNotification = 0x0F,
    Aarq = 0x60,
    Aare = 0x61,
    Rlrq = 0x62,
    Rlre = 0x63,
    GetRequest = 0xC0,
    SetRequest = 0xC1,
    EventNotificationRequest = 0xC2,
    ActionRequest = 0xC3,
    GetResponse = 0xC4,
    SetResponse = 0xC5,
    ActionResponse = 0xC7,
    ExceptionResponse = 0xD8,
}

/// <summary>
/// Invoke-Id-And-Priority (Green Book): bits 0-3 the invoke id, bit 6 the service class (1 confirmed), bit 7 the
/// priority (1 high); bits 4-5 reserved. Kept as the byte received, so that reserved bits survive a round trip.
/// </summary>
public readonly record struct InvokeIdAndPriority(byte Value)
{
    public static InvokeIdAndPriority Create(int invokeId, bool confirmed = true, bool highPriority = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(invokeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(invokeId, 15);
        return new InvokeIdAndPriority((byte)(invokeId | (confirmed ? 0x40 : 0) | (highPriority ? 0x80 : 0)));
    }

    public int InvokeId => Value & 0x0F;

    public bool Confirmed => (Value & 0x40) != 0;

    public bool HighPriority => (Value & 0x80) != 0;

    public override string ToString() => $"0x{Value:X2}";
}

/// <summary>Data-Access-Result (Green Book): why a GET or SET of one attribute failed, or success.</summary>
public enum DataAccessResult : byte
{
    Success = 0,
    HardwareFault = 1,
    TemporaryFailure = 2,
    ReadWriteDenied = 3,
    ObjectUndefined = 4,
    ObjectClassInconsistent = 9,
    ObjectUnavailable = 11,
    TypeUnmatched = 12,
    ScopeOfAccessViolated = 13,
    DataBlockUnavailable = 14,
    LongGetAborted = 15,
    NoLongGetInProgress = 16,
    LongSetAborted = 17,
    NoLongSetInProgress = 18,
    DataBlockNumberInvalid = 19,
    OtherReason = 250,
}

/// <summary>Action-Result (Green Book): the outcome of an ACTION on one method.</summary>
public enum ActionResult : byte
{
    Success = 0,
    HardwareFault = 1,
    TemporaryFailure = 2,
    ReadWriteDenied = 3,
    ObjectUndefined = 4,
    ObjectClassInconsistent = 9,
    ObjectUnavailable = 11,
    TypeUnmatched = 12,
    ScopeOfAccessViolated = 13,
    DataBlockUnavailable = 14,
    LongActionAborted = 15,
    NoLongActionInProgress = 16,
    OtherReason = 250,
}
