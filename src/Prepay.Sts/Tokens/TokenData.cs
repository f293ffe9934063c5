namespace Prepay.Sts.Tokens;

/// <summary>
/// The 66 bits of token data before encryption, without the CRC: class (2), subclass (4) and the 44 data bits
/// that sit at bits 59..16 of the 64-bit data block. IEC 62055-41 §6.3 (token data elements).
/// For credit and most management tokens the 44 bits are RND (4), TID (24), a 16-bit field.
/// </summary>
public readonly record struct TokenData
{
    /// <summary>Mask of the 44 data bits.</summary>
    public const ulong DataMask = (1UL << 44) - 1;

    private TokenData(TokenClass tokenClass, int subclass, ulong data)
    {
        Class = tokenClass;
        Subclass = subclass;
        Data = data;
    }

    /// <summary>The token class.</summary>
    public TokenClass Class { get; }

    /// <summary>The subclass, 0..15.</summary>
    public int Subclass { get; }

    /// <summary>The 44 data bits (block bits 59..16).</summary>
    public ulong Data { get; }

    /// <summary>True for tokens laid out as RND, TID, 16-bit field: class 0, and class 2 subclasses 0-2, 5-7.</summary>
    public bool HasTokenIdentifier => HasTid(Class, Subclass);

    /// <summary>RND, bits 59..56 of the block (meaningful when <see cref="HasTokenIdentifier"/>).</summary>
    public int Rnd => (int)(Data >> 40) & 0xF;

    /// <summary>TID minutes, bits 55..32 of the block (meaningful when <see cref="HasTokenIdentifier"/>).</summary>
    public uint Tid => (uint)(Data >> 16) & TokenIdentifier.MaxMinutes;

    /// <summary>The 16-bit field, bits 31..16 of the block: amount, power limit, register, rate...</summary>
    public ushort Field => unchecked((ushort)Data);

    /// <summary>
    /// The 16-bit field read in the TransferAmount format: the amount of a credit transfer token, or the limit in
    /// watts of a power limit token (see <see cref="FieldIsTransferAmount"/>).
    /// </summary>
    public TransferAmount Amount => TransferAmount.FromEncoded(Field);

    /// <summary>
    /// True when the 16-bit field is in the TransferAmount format: class 0, and class 2 subclasses 0 (MPL) and 6
    /// (MPPUL). IEC 62055-41 §6.3.4; STS 531-1-0-02 CTSA12/CTSA13 carry limits of 20 000 W and more in that format.
    /// </summary>
    public bool FieldIsTransferAmount => IsTransferAmount(Class, Subclass);

    /// <summary>Any class, subclass and 44 data bits; checks ranges only.</summary>
    public static TokenData Create(TokenClass tokenClass, int subclass, ulong data)
    {
        if ((uint)tokenClass > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenClass), tokenClass, "A class has 2 bits.");
        }

        if ((uint)subclass > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "A subclass has 4 bits.");
        }

        if (data > DataMask)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data, "The data has 44 bits.");
        }

        return new TokenData(tokenClass, subclass, data);
    }

    /// <summary>A class 0 credit transfer token. IEC 62055-41 §6.3.2.</summary>
    public static TokenData CreditTransfer(int subclass, int rnd, uint tid, TransferAmount amount) =>
        WithTid(TokenClass.CreditTransfer, subclass, rnd, tid, amount.Encoded);

    /// <summary>A class 0 credit transfer token.</summary>
    public static TokenData CreditTransfer(CreditSubclass subclass, int rnd, uint tid, TransferAmount amount) =>
        CreditTransfer((int)subclass, rnd, tid, amount);

    /// <summary>
    /// A class 2 token laid out as RND, TID, 16-bit value (subclasses 0-2, 5-7), the value as carried. IEC 62055-41 §6.3.4.
    /// For the power limits (subclasses 0 and 6) the value is a TransferAmount's bits: use <see cref="PowerLimit"/>.
    /// </summary>
    public static TokenData Management(ManagementSubclass subclass, int rnd, uint tid, ushort value)
    {
        if (!HasTid(TokenClass.MeterSpecificManagement, (int)subclass))
        {
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "Key change tokens have their own layout.");
        }

        return WithTid(TokenClass.MeterSpecificManagement, (int)subclass, rnd, tid, value);
    }

    /// <summary>
    /// Class 2 subclass 0 (set maximum power limit) or 6 (set maximum phase power unbalance limit): RND, TID and the
    /// limit in watts in the TransferAmount format, like a credit amount. IEC 62055-41 §6.3.4 (MPL, MPPUL).
    /// </summary>
    public static TokenData PowerLimit(ManagementSubclass subclass, int rnd, uint tid, TransferAmount watts)
    {
        if (!IsTransferAmount(TokenClass.MeterSpecificManagement, (int)subclass))
        {
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "Only the power limit subclasses (0 and 6) carry watts as an amount.");
        }

        return WithTid(TokenClass.MeterSpecificManagement, (int)subclass, rnd, tid, watts.Encoded);
    }

    /// <summary>Whether a class/subclass carries its 16-bit field in the TransferAmount format.</summary>
    public static bool IsTransferAmount(TokenClass tokenClass, int subclass) => tokenClass switch
    {
        TokenClass.CreditTransfer => true,
        TokenClass.MeterSpecificManagement => subclass is (int)ManagementSubclass.SetMaximumPowerLimit or (int)ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit,
        _ => false,
    };

    /// <summary>Class 1 subclass 0: 36-bit control and 8-bit manufacturer code. IEC 62055-41 §6.3.3.</summary>
    public static TokenData InitiateMeterTestOrDisplay(ulong control, byte manufacturerCode)
    {
        if (control >= 1UL << 36)
        {
            throw new ArgumentOutOfRangeException(nameof(control), control, "The control field has 36 bits.");
        }

        return new TokenData(TokenClass.NonMeterSpecificEngineering, 0, (control << 8) | manufacturerCode);
    }

    /// <summary>Class 1 subclass 1: 28-bit control and 16-bit manufacturer code.</summary>
    public static TokenData InitiateMeterTestOrDisplay2(uint control, ushort manufacturerCode)
    {
        if (control >= 1u << 28)
        {
            throw new ArgumentOutOfRangeException(nameof(control), control, "The control field has 28 bits.");
        }

        return new TokenData(TokenClass.NonMeterSpecificEngineering, 1, ((ulong)control << 16) | manufacturerCode);
    }

    /// <summary>True for class/subclass pairs laid out as RND, TID, 16-bit field.</summary>
    public static bool HasTid(TokenClass tokenClass, int subclass) => tokenClass switch
    {
        TokenClass.CreditTransfer => true,
        TokenClass.MeterSpecificManagement => subclass is 0 or 1 or 2 or 5 or 6 or 7,
        _ => false,
    };

    private static TokenData WithTid(TokenClass tokenClass, int subclass, int rnd, uint tid, ushort field)
    {
        if ((uint)subclass > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "A subclass has 4 bits.");
        }

        if ((uint)rnd > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(rnd), rnd, "RND has 4 bits.");
        }

        if (tid > TokenIdentifier.MaxMinutes)
        {
            throw new ArgumentOutOfRangeException(nameof(tid), tid, "A TID has 24 bits.");
        }

        return new TokenData(tokenClass, subclass, ((ulong)rnd << 40) | ((ulong)tid << 16) | field);
    }

    /// <inheritdoc />
    public override string ToString() => HasTokenIdentifier
        ? $"class {(int)Class} subclass {Subclass} rnd {Rnd} tid {Tid} field 0x{Field:X4}"
        : $"class {(int)Class} subclass {Subclass} data 0x{Data:X11}";
}
