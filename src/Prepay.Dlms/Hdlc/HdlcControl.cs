namespace Prepay.Dlms.Hdlc;

/// <summary>The frame types IEC 62056-46 §6.4.3 uses.</summary>
public enum HdlcFrameType
{
    Information,
    ReceiveReady,
    ReceiveNotReady,
    SetNormalResponseMode,
    Disconnect,
    UnnumberedAcknowledge,
    DisconnectedMode,
    FrameReject,
    UnnumberedInformation,
}

/// <summary>
/// The HDLC control field (IEC 62056-46 §6.4.3, Table 3): I frame RRRPSSS0, RR RRRP0001, RNR RRRP0101, and the
/// unnumbered frames SNRM 100P0011, DISC 010P0011, UA 011F0011, DM 000F1111, FRMR 100F0111, UI 000P0011, where
/// R is N(R), S is N(S) (modulo 8) and P/F the poll/final bit.
/// </summary>
public readonly record struct HdlcControl
{
    private const byte PollFinalBit = 0x10;

    private static readonly (byte Pattern, HdlcFrameType Type)[] Unnumbered =
    [
        (0x83, HdlcFrameType.SetNormalResponseMode), (0x43, HdlcFrameType.Disconnect),
        (0x63, HdlcFrameType.UnnumberedAcknowledge), (0x0F, HdlcFrameType.DisconnectedMode),
        (0x87, HdlcFrameType.FrameReject), (0x03, HdlcFrameType.UnnumberedInformation),
    ];

    private HdlcControl(byte value, HdlcFrameType type)
    {
        Value = value;
        Type = type;
    }

    public byte Value { get; }

    public HdlcFrameType Type { get; }

    public bool PollFinal => (Value & PollFinalBit) != 0;

    /// <summary>N(S), for I frames.</summary>
    public int SendSequence => Type == HdlcFrameType.Information ? (Value >> 1) & 7 : 0;

    /// <summary>N(R), for I, RR and RNR frames.</summary>
    public int ReceiveSequence => Type is HdlcFrameType.Information or HdlcFrameType.ReceiveReady or HdlcFrameType.ReceiveNotReady
        ? Value >> 5
        : 0;

    public static HdlcControl Information(int sendSequence, int receiveSequence, bool pollFinal = true) =>
        new((byte)(((receiveSequence & 7) << 5) | (pollFinal ? PollFinalBit : 0) | ((sendSequence & 7) << 1)), HdlcFrameType.Information);

    public static HdlcControl ReceiveReady(int receiveSequence, bool pollFinal = true) =>
        new((byte)(((receiveSequence & 7) << 5) | (pollFinal ? PollFinalBit : 0) | 0x01), HdlcFrameType.ReceiveReady);

    public static HdlcControl ReceiveNotReady(int receiveSequence, bool pollFinal = true) =>
        new((byte)(((receiveSequence & 7) << 5) | (pollFinal ? PollFinalBit : 0) | 0x05), HdlcFrameType.ReceiveNotReady);

    public static HdlcControl Of(HdlcFrameType type, bool pollFinal = true)
    {
        foreach (var (pattern, t) in Unnumbered)
        {
            if (t == type)
            {
                return new HdlcControl((byte)(pattern | (pollFinal ? PollFinalBit : 0)), type);
            }
        }
        throw new ArgumentException($"{type} carries sequence numbers: use its own factory.", nameof(type));
    }

    public static HdlcControl Parse(byte value)
    {
        if ((value & 0x01) == 0)
        {
            return new HdlcControl(value, HdlcFrameType.Information);
        }
        switch (value & 0x0F)
        {
            case 0x01:
                return new HdlcControl(value, HdlcFrameType.ReceiveReady);
            case 0x05:
                return new HdlcControl(value, HdlcFrameType.ReceiveNotReady);
        }
        byte withoutPoll = (byte)(value & ~PollFinalBit);
        foreach (var (pattern, type) in Unnumbered)
        {
            if (pattern == withoutPoll)
            {
                return new HdlcControl(value, type);
            }
        }
        throw new DlmsFormatException($"HDLC control field 0x{value:X2} is not a frame type of IEC 62056-46.");
    }

    public override string ToString() => $"{Type} 0x{Value:X2}";
}
