using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>
/// PLACEHOLDER, not STS: deterministic 20-digit numbers derived from meter, token id and content, used when no
/// vending key is configured (the server warns at startup). No real meter accepts these tokens.
/// </summary>
public sealed class PlaceholderTokenGenerator : ITokenGenerator
{
    private static readonly Instant BaseDate2014 = Instant.FromUtc(2014, 1, 1, 0, 0);

    // A keypad meter's placeholder only fails when typed, and the demo without a key uses them; a smart meter's would
    // be delivered, refused by its decoder, and its credit never arrive: refuse the sale instead.
    public string? CannotIssueFor(Meter meter) => meter.Mode == MeterMode.Smart
        ? $"Meter '{meter.MeterNumber}' is a smart meter with an STS keypad decoder, and no STS vending key is configured (Sts:VendingKeyHex or Sts:KeyStoreFile): its credit cannot be sent as tokens."
        : null;

    public string CreditToken(Meter meter, long tokenId, Energy energy) =>
        Digits(string.Create(CultureInfo.InvariantCulture, $"{meter.MeterNumber}|{tokenId}|{energy.WattHours}"));

    public string ManagementToken(Meter meter, long tokenId, ManagementTokenKind kind, ushort value) =>
        Digits(string.Create(CultureInfo.InvariantCulture, $"{meter.MeterNumber}|{tokenId}|m{(int)kind}|{value}"));

    public IReadOnlyList<string> KeyChangeTokens(Meter meter, KeyTarget target) =>
        [.. Enumerable.Range(1, meter.EncryptionAlgorithm == StsEncryptionAlgorithm.Misty1 ? 4 : 2)
            .Select(i => Digits(string.Create(CultureInfo.InvariantCulture, $"{meter.MeterNumber}|k{target.KeyRevisionNumber}|{target.BaseDate}|{i}")))];

    public long TokenIdAt(Meter meter, Instant at) => (long)(at - BaseDate2014).TotalMinutes;

    private static string Digits(string input)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        var value = new BigInteger(hash.AsSpan(0, 9), isUnsigned: true) % BigInteger.Pow(10, 20);
        return value.ToString("D20", CultureInfo.InvariantCulture);
    }
}
