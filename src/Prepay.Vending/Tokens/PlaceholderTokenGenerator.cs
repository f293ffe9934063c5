using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>
/// PLACEHOLDER, not STS: a deterministic 20-digit number derived from meter, token id and energy, so that the
/// vending API can be built and tested before the STS engine is wired in. No real meter accepts these tokens.
/// </summary>
public sealed class PlaceholderTokenGenerator : ITokenGenerator
{
    private static readonly Instant BaseDate2014 = Instant.FromUtc(2014, 1, 1, 0, 0);

    public string CreditToken(Meter meter, long tokenId, Energy energy)
    {
        var input = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{meter.MeterNumber}|{tokenId}|{energy.WattHours}"));
        var hash = SHA256.HashData(input);
        var value = new BigInteger(hash.AsSpan(0, 9), isUnsigned: true) % BigInteger.Pow(10, 20);
        return value.ToString("D20", CultureInfo.InvariantCulture);
    }

    public long TokenIdAt(Meter meter, Instant at) => (long)(at - BaseDate2014).TotalMinutes;
}
