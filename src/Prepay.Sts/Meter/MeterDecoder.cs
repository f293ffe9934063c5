using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Sts.Meter;

/// <summary>
/// The meter side of STS: decrypts a keyed-in token, checks CRC and class, applies the TID rules and the token.
/// IEC 62055-41 §8 / IEC 62055-51. TID rules: a TID in memory is Used; when the memory is full, a TID below
/// its oldest entry is Old (an empty slot counts as TID 0, so a meter accepts older-but-unused tokens until it
/// has seen <see cref="MeterState.TidCapacity"/> of them); any other TID is accepted even out of order.
/// Not thread-safe; the state after each entry is in <see cref="State"/>.
/// </summary>
public sealed class MeterDecoder
{
    private MeterState _state;
    private TokenCodec _codec;

    /// <summary>A decoder restored from (or initialised with) a state.</summary>
    public MeterDecoder(MeterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CreditRegisters.Length != 8 || state.TidCapacity < 1)
        {
            throw new ArgumentException("A meter state has 8 credit registers and a TID capacity of at least 1.", nameof(state));
        }

        for (int i = 1; i < state.TidMemory.Length; i++)
        {
            if (state.TidMemory[i - 1] >= state.TidMemory[i])
            {
                throw new ArgumentException("The TID memory must be strictly ascending.", nameof(state));
            }
        }

        _state = state;
        _codec = new TokenCodec(TokenCiphers.Create(state.Algorithm, state.DecoderKey));
    }

    /// <summary>The state to persist.</summary>
    public MeterState State => _state;

    /// <summary>Keys in a token. Never throws for any input text.</summary>
    public TokenEntry Enter(ReadOnlySpan<char> digits)
    {
        if (TokenNumber.TryParse(digits, out var token) is { } formatError)
        {
            return Refuse(KeypadResult.Reject, null, formatError);
        }

        if (token.Class == TokenClass.Reserved)
        {
            return Refuse(KeypadResult.Reject, null, "Class 3 is reserved.");
        }

        var data = _codec.Decode(token, out bool crcOk);
        if (!crcOk)
        {
            return Refuse(KeypadResult.Reject, null, "CRC mismatch: wrong key or mistyped token.");
        }

        return data.Class switch
        {
            TokenClass.CreditTransfer => Credit(data),
            TokenClass.NonMeterSpecificEngineering => data.Subclass <= 1
                ? new TokenEntry(KeypadResult.Accept, data, "Meter test/display.")
                : Refuse(KeypadResult.Reject, data, "Reserved class 1 subclass."),
            _ => Management(data),
        };
    }

    // IEC 62055-41 §6.3.2: add the amount to the register of the subclass.
    private TokenEntry Credit(TokenData data)
    {
        if (data.Subclass > 7)
        {
            return Refuse(KeypadResult.Reject, data, "Reserved class 0 subclass.");
        }

        if (CheckTid(data) is { } refused)
        {
            return refused;
        }

        long register = _state.CreditRegisters[data.Subclass];
        long units = data.Amount.Units;
        if (units > _state.CreditRegisterLimit - register)
        {
            return Refuse(KeypadResult.Overflow, data, "The credit register would overflow.");
        }

        _state = Remember(_state, data.Tid) with
        {
            CreditRegisters = _state.CreditRegisters.SetItem(data.Subclass, register + units),
        };
        return new TokenEntry(KeypadResult.Accept, data, $"Credit {units} units.");
    }

    private TokenEntry Management(TokenData data)
    {
        if (KeyChangeTokens.IsKeyChangeSection(data))
        {
            return KeyChangeSection(data);
        }

        if (!data.HasTokenIdentifier)
        {
            return Refuse(KeypadResult.Reject, data, "Reserved class 2 subclass.");
        }

        if (CheckTid(data) is { } refused)
        {
            return refused;
        }

        // IEC 62055-41 §6.3.4: MPL and MPPUL are watts in the TransferAmount format (STS 531-1-0-02 CTSA12/13);
        // the other values are plain 16-bit fields.
        var state = Remember(_state, data.Tid);
        _state = (ManagementSubclass)data.Subclass switch
        {
            ManagementSubclass.SetMaximumPowerLimit => state with { MaximumPowerLimit = data.Amount.Units },
            ManagementSubclass.ClearCredit => state with { CreditRegisters = ClearRegisters(state, data.Field) },
            ManagementSubclass.SetTariffRate => state with { TariffRate = data.Field },
            ManagementSubclass.ClearTamperCondition => state with { TamperClears = state.TamperClears + 1 },
            ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit => state with { MaximumPhasePowerUnbalanceLimit = data.Amount.Units },
            _ => state with { WaterMeterFactor = data.Field },
        };
        return new TokenEntry(KeypadResult.Accept, data, $"{(ManagementSubclass)data.Subclass} applied.");
    }

    // IEC 62055-41 §6.3.4: sections may arrive in any order; the key changes when the set is complete.
    private TokenEntry KeyChangeSection(TokenData data)
    {
        int keyBits = _state.DecoderKey.Bits;
        if (keyBits == 64 && data.Subclass is 8 or 9)
        {
            return Refuse(KeypadResult.Reject, data, "3rd/4th key sections are for 128-bit keys.");
        }

        var pending = _state.PendingKeyChange.With(data.Subclass, data.Data);
        if (!pending.IsComplete(keyBits))
        {
            _state = _state with { PendingKeyChange = pending };
            return new TokenEntry(KeypadResult.Accept, data, "Key section stored; waiting for the rest of the set.");
        }

        _state = ApplyKeyChange(_state, pending);
        _codec = new TokenCodec(TokenCiphers.Create(_state.Algorithm, _state.DecoderKey));
        return new TokenEntry(KeypadResult.Accept, data, "New decoder key in use.") { KeyChanged = true };
    }

    private static MeterState ApplyKeyChange(MeterState state, PendingKeyChange pending)
    {
        ulong s1 = pending.Section1!.Value;
        ulong s2 = pending.Section2!.Value;
        ulong nkho = s1 & 0xFFFF_FFFF;
        ulong nklo = s2 & 0xFFFF_FFFF;
        bool rollover = ((s1 >> 35) & 1) == 1;
        int sgc = state.SupplyGroupCode;
        DecoderKey key;
        if (state.DecoderKey.Bits == 64)
        {
            key = DecoderKey.From64((nkho << 32) | nklo);
        }
        else
        {
            ulong s3 = pending.Section3!.Value;
            ulong s4 = pending.Section4!.Value;
            key = DecoderKey.From128((nkho << 32) | (s3 & 0xFFFF_FFFF), ((s4 & 0xFFFF_FFFF) << 32) | nklo);
            sgc = (int)((((s4 >> 32) & 0xFFF) << 12) | ((s3 >> 32) & 0xFFF));
        }

        var next = rollover ? state.BaseDate.Next() ?? state.BaseDate : state.BaseDate;
        return state with
        {
            DecoderKey = key,
            KeyExpiryNumber = (byte)((((s1 >> 40) & 0xF) << 4) | ((s2 >> 40) & 0xF)),
            KeyRevisionNumber = (int)((s1 >> 36) & 0xF),
            KeyType = (int)((s1 >> 32) & 0x3),
            TariffIndex = (int)((s2 >> 32) & 0xFF),
            SupplyGroupCode = sgc,
            BaseDate = next,

            // A roll-over starts TIDs again from the new base date, so the old ones mean nothing.
            TidMemory = rollover ? [] : state.TidMemory,
            PendingKeyChange = PendingKeyChange.Empty,
        };
    }

    private TokenEntry? CheckTid(TokenData data)
    {
        uint tid = data.Tid;
        if ((tid >> 16) > _state.KeyExpiryNumber)
        {
            return Refuse(KeypadResult.KeyExpired, data, "The decoder key has expired for this TID.");
        }

        var memory = _state.TidMemory;
        if (memory.AsSpan().BinarySearch(tid) >= 0)
        {
            return Refuse(KeypadResult.Used, data, "Token already used.");
        }

        if (memory.Length >= _state.TidCapacity && tid < memory[0])
        {
            return Refuse(KeypadResult.Old, data, "Token older than the oldest remembered.");
        }

        return null;
    }

    private static MeterState Remember(MeterState state, uint tid)
    {
        var memory = state.TidMemory;
        int index = memory.AsSpan().BinarySearch(tid);
        memory = memory.Insert(~index, tid);
        while (memory.Length > state.TidCapacity)
        {
            memory = memory.RemoveAt(0);
        }

        return state with { TidMemory = memory };
    }

    private static System.Collections.Immutable.ImmutableArray<long> ClearRegisters(MeterState state, ushort mask)
    {
        var registers = state.CreditRegisters;
        for (int i = 0; i < registers.Length; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                registers = registers.SetItem(i, 0);
            }
        }

        return registers;
    }

    private static TokenEntry Refuse(KeypadResult result, TokenData? data, string reason) => new(result, data, reason);
}
