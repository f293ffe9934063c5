using System.Collections.Immutable;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Sts.Meter;

/// <summary>
/// Everything a meter's token decoder must keep across power cycles; a plain record so it serialises with
/// System.Text.Json. <see cref="TidMemory"/> holds the most recent accepted TIDs, ascending.
/// </summary>
public sealed record MeterState
{
    /// <summary>How many TIDs a meter remembers by default. The standard asks for at least this many (see README).</summary>
    public const int DefaultTidCapacity = 50;

    /// <summary>The current decoder key.</summary>
    public required DecoderKey DecoderKey { get; init; }

    /// <summary>The algorithm the key is used with.</summary>
    public required EncryptionAlgorithm Algorithm { get; init; }

    /// <summary>The base date TIDs count from.</summary>
    public required BaseDate BaseDate { get; init; }

    /// <summary>KEN: tokens whose TID's top 8 bits exceed it are refused as KeyExpired; 255 never expires.</summary>
    public byte KeyExpiryNumber { get; init; } = 255;

    /// <summary>KRN of the current key.</summary>
    public int KeyRevisionNumber { get; init; } = 1;

    /// <summary>KT of the current key.</summary>
    public int KeyType { get; init; } = 2;

    /// <summary>TI of the current key.</summary>
    public int TariffIndex { get; init; }

    /// <summary>SGC of the current key.</summary>
    public int SupplyGroupCode { get; init; }

    /// <summary>Accepted TIDs, ascending, at most <see cref="TidCapacity"/>.</summary>
    public ImmutableArray<uint> TidMemory { get; init; } = [];

    /// <summary>How many TIDs are remembered.</summary>
    public int TidCapacity { get; init; } = DefaultTidCapacity;

    /// <summary>Credit per class 0 subclass (0..7), in token units.</summary>
    public ImmutableArray<long> CreditRegisters { get; init; } = [0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The most a credit register may hold; a token that would pass it gives Overflow.</summary>
    public long CreditRegisterLimit { get; init; } = 100 * TransferAmount.MaxUnits;

    /// <summary>Set by a class 2 subclass 0 token, in watts (carried in the TransferAmount format).</summary>
    public long? MaximumPowerLimit { get; init; }

    /// <summary>Set by a class 2 subclass 2 token.</summary>
    public ushort? TariffRate { get; init; }

    /// <summary>Set by a class 2 subclass 6 token, in watts (carried in the TransferAmount format).</summary>
    public long? MaximumPhasePowerUnbalanceLimit { get; init; }

    /// <summary>Set by a class 2 subclass 7 token.</summary>
    public ushort? WaterMeterFactor { get; init; }

    /// <summary>How many clear tamper condition tokens were applied.</summary>
    public int TamperClears { get; init; }

    /// <summary>Key change sections waiting for the rest of their set.</summary>
    public PendingKeyChange PendingKeyChange { get; init; } = PendingKeyChange.Empty;
}
