using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Sts;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Vending.Tokens;

/// <summary>
/// STS tokens (IEC 62055-41) from the vending key: each meter's decoder key is derived with DKGA-02 (64-bit vending
/// key; EA07 and EA09 meters) or DKGA-04 (160-bit vending key; any algorithm) from its SGC, TI, KRN, KT and PAN
/// (the meter number as IAIN, with the IIN its length calls for or the configured override), and kept in a cache.
/// Thread-safe.
/// </summary>
public sealed class StsTokenGenerator : ITokenGenerator
{
    // Plenty for a large fleet; past it the cache starts again rather than grow without bound.
    private const int MaxCachedKeys = 200_000;

    private readonly VendingKey _vendingKey;
    private readonly Dkga04? _dkga04;
    private readonly string? _iin;
    private readonly byte _keyExpiryNumber;
    private readonly IClock _clock;
    private readonly ConcurrentDictionary<KeyId, DecoderKey> _keys = new();

    public StsTokenGenerator(VendingKey vendingKey, StsOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(vendingKey);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _vendingKey = vendingKey;
        _clock = clock;
        _iin = options.Iin;
        _keyExpiryNumber = checked((byte)options.KeyExpiryNumber);
        if (vendingKey.Bits == 160)
        {
            _dkga04 = new Dkga04(vendingKey);
        }
        else
        {
            // Fails now, not at the first vend, if .NET refuses the key (a DES weak key).
            using var probe = new Dkga02(vendingKey);
        }
    }

    /// <summary>Which key generation algorithm the vending key is for.</summary>
    public string Algorithm => _dkga04 is null ? "DKGA-02" : "DKGA-04";

    public string? CannotIssueFor(Meter meter)
    {
        if (meter.MeterNumber.Length is not (11 or 13) || !meter.MeterNumber.All(char.IsAsciiDigit))
        {
            return $"Meter number '{meter.MeterNumber}' is not an STS decoder reference number (11 or 13 digits).";
        }
        if (PrimaryAccountNumber.TryForDecoderReference(meter.MeterNumber, _iin, out _) is { } panError)
        {
            return $"Meter '{meter.MeterNumber}': {panError} (Sts:Iin).";
        }
        if (_dkga04 is null && meter.EncryptionAlgorithm == StsEncryptionAlgorithm.Misty1)
        {
            return $"Meter '{meter.MeterNumber}' uses EA11 (MISTY1), which needs a 160-bit vending key (DKGA-04); this server has a 64-bit one.";
        }
        if (_clock.GetCurrentInstant() < KeyChangePolicy.Epoch(meter.BaseDate))
        {
            return $"Meter '{meter.MeterNumber}' counts token identifiers from {(int)meter.BaseDate}, which has not begun.";
        }
        return null;
    }

    public string CreditToken(Meter meter, long tokenId, Energy energy)
    {
        // IEC 62055-41 §6.3.2: electricity credit is carried in 0.1 kWh.
        if (energy.WattHours % 100 != 0)
        {
            throw new UnrepresentableCreditException($"STS electricity credit is in 0.1 kWh; {energy.WattHours} Wh is not a multiple of 100 Wh.");
        }
        var units = energy.WattHours / 100;
        if (!TransferAmount.TryFromUnitsExact(units, out _))
        {
            throw new UnrepresentableCreditException($"{units / 10m:0.0} kWh has no exact STS amount (above 1638.3 kWh the steps are 1, 10 or 100 kWh); CreditSplit carries such a sale on several tokens.");
        }
        return StsTokenIssuer.IssueCreditToken(DecoderKeyOf(meter), Ea(meter), Bd(meter.BaseDate), (int)CreditSubclass.Electricity, Tid(meter, tokenId), units, Rnd());
    }

    public string ManagementToken(Meter meter, long tokenId, ManagementTokenKind kind, ushort value) => kind.IsPowerLimit()
        ? StsTokenIssuer.IssuePowerLimitToken(DecoderKeyOf(meter), Ea(meter), Bd(meter.BaseDate), (ManagementSubclass)(int)kind, Tid(meter, tokenId), value, Rnd())
        : StsTokenIssuer.IssueManagementToken(DecoderKeyOf(meter), Ea(meter), Bd(meter.BaseDate), (ManagementSubclass)(int)kind, Tid(meter, tokenId), value, Rnd());

    public IReadOnlyList<string> KeyChangeTokens(Meter meter, KeyTarget target)
    {
        var current = DecoderKeyOf(meter);
        var next = Derive(new KeyId(meter.MeterNumber, target.KeyRevisionNumber, target.SupplyGroupCode, target.TariffIndex, meter.KeyType, meter.EncryptionAlgorithm, target.BaseDate));
        var request = new KeyChangeRequest(next, _keyExpiryNumber, target.KeyRevisionNumber, meter.KeyType, target.TariffIndex, target.SupplyGroupCode, target.IsRollover(meter));
        return StsTokenIssuer.IssueKeyChangeTokens(current, Ea(meter), request);
    }

    public long TokenIdAt(Meter meter, Instant at) => TokenIdentifier.FromInstant(at.ToDateTimeOffset(), Bd(meter.BaseDate)).Minutes;

    /// <summary>The meter's current decoder key, as the meter holds it.</summary>
    public DecoderKey DecoderKeyOf(Meter meter) =>
        Derive(new KeyId(meter.MeterNumber, meter.KeyRevisionNumber, meter.SupplyGroupCode, meter.TariffIndex, meter.KeyType, meter.EncryptionAlgorithm, meter.BaseDate));

    private DecoderKey Derive(KeyId id)
    {
        if (_keys.TryGetValue(id, out var key))
        {
            return key;
        }
        var pan = PrimaryAccountNumber.ForDecoderReference(id.MeterNumber, _iin);
        var input = KeyDerivationInput.Create(id.Sgc, id.Ti, id.Krn, id.Kt, pan);
        if (_dkga04 is { } dkga04)
        {
            key = dkga04.Derive(input, Bd(id.BaseDate), (EncryptionAlgorithm)(int)id.Ea);
        }
        else
        {
            if (id.Ea == StsEncryptionAlgorithm.Misty1)
            {
                throw new InvalidOperationException("EA11 needs a 160-bit vending key (DKGA-04).");
            }
            // Dkga02 holds a DES instance and is not thread-safe: one per derivation, which a cache hit skips.
            using var dkga02 = new Dkga02(_vendingKey);
            key = dkga02.Derive(input);
        }
        if (_keys.Count >= MaxCachedKeys)
        {
            _keys.Clear();
        }
        _keys[id] = key;
        return key;
    }

    private static uint Tid(Meter meter, long tokenId) =>
        tokenId is >= 0 and <= TokenIdentifier.MaxMinutes
            ? (uint)tokenId
            : throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, string.Create(CultureInfo.InvariantCulture, $"Token id {tokenId} of meter {meter.MeterNumber} does not fit 24 bits."));

    // RND (IEC 62055-41 §6.3.5): 4 random bits, so two tokens with equal data still differ.
    private static int Rnd() => RandomNumberGenerator.GetInt32(16);

    private static EncryptionAlgorithm Ea(Meter meter) => (EncryptionAlgorithm)(int)meter.EncryptionAlgorithm;

    private static BaseDate Bd(StsBaseDate baseDate) => (BaseDate)(int)baseDate;

    private readonly record struct KeyId(string MeterNumber, int Krn, int Sgc, int Ti, int Kt, StsEncryptionAlgorithm Ea, StsBaseDate BaseDate);
}
