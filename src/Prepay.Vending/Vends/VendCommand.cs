using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.Vending.Contracts;

namespace Prepay.Vending.Vends;

/// <summary>A vend request that passed validation: parsed, trimmed, with the hash that identifies it.</summary>
public sealed record VendCommand(
    string IdempotencyKey,
    MeterNumber? MeterNumber,
    string? Site,
    string? Unit,
    Money Amount,
    string? Channel,
    string? PaymentReference)
{
    public const int MaxReferenceLength = 100;
    public const int MaxChannelLength = 40;

    /// <summary>A channel name: a letter or digit, then letters, digits, spaces, '.', '_' or '-'.</summary>
    public static bool IsSafeChannel(string channel) =>
        channel.Length > 0 && char.IsAsciiLetterOrDigit(channel[0])
        && channel.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-');
    public const int MaxLabelLength = 40;

    /// <summary>
    /// SHA-256 over the request's meaning (not its bytes), so a retry that only reorders JSON fields or writes
    /// "100.0" for "100.00" is the same request.
    /// </summary>
    public string RequestHash()
    {
        var canonical = string.Join('\u001f',
            MeterNumber?.Value ?? "", Site ?? "", Unit ?? "",
            Amount.Minor.ToString(CultureInfo.InvariantCulture), Amount.Currency.Code, Channel ?? "", PaymentReference ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Checks a request; returns the command, or the problems by field name (camelCase, as in the JSON).</summary>
    public static (VendCommand? Command, Dictionary<string, string[]> Errors) From(string? idempotencyKey, VendRequest? body, long maxAmountMinor)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        if (Postings.IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            Add("Idempotency-Key", keyProblem);
        }
        if (body is null)
        {
            Add("body", "a JSON object is required");
            return (null, errors);
        }

        MeterNumber? meterNumber = null;
        var hasMeter = !string.IsNullOrWhiteSpace(body.MeterNumber);
        var hasSite = !string.IsNullOrWhiteSpace(body.Site) || !string.IsNullOrWhiteSpace(body.Unit);
        if (hasMeter && hasSite)
        {
            Add("meterNumber", "give either meterNumber or site and unit, not both");
        }
        else if (hasMeter)
        {
            if (Domain.Metering.MeterNumber.TryParse(body.MeterNumber, out var n))
            {
                meterNumber = n;
            }
            else
            {
                Add("meterNumber", $"must be 1 to {Domain.Metering.MeterNumber.MaxLength} letters, digits or '-'");
            }
        }
        else if (hasSite)
        {
            if (string.IsNullOrWhiteSpace(body.Site) || body.Site.Trim().Length > MaxLabelLength)
            {
                Add("site", $"is required with unit, at most {MaxLabelLength} characters");
            }
            if (string.IsNullOrWhiteSpace(body.Unit) || body.Unit.Trim().Length > MaxLabelLength)
            {
                Add("unit", $"is required with site, at most {MaxLabelLength} characters");
            }
        }
        else
        {
            Add("meterNumber", "is required (or site and unit)");
        }

        Money amount = default;
        if (string.IsNullOrWhiteSpace(body.Currency))
        {
            Add("currency", "is required");
        }
        else if (!Currency.TryFromCode(body.Currency, out var currency))
        {
            Add("currency", $"'{body.Currency}' is not a supported ISO 4217 currency code");
        }
        else
        {
            var parsed = Money.TryParse(body.Amount, currency);
            if (!parsed.Success)
            {
                Add("amount", parsed.Error!);
            }
            else if (!parsed.Value.IsPositive)
            {
                Add("amount", "must be greater than zero");
            }
            else if (parsed.Value.Minor > maxAmountMinor)
            {
                Add("amount", $"must not exceed {new Money(maxAmountMinor, currency).ToDecimalString()}");
            }
            else
            {
                amount = parsed.Value;
            }
        }
        if (body.Channel is { Length: > MaxChannelLength })
        {
            Add("channel", $"must be at most {MaxChannelLength} characters");
        }
        else if (!string.IsNullOrWhiteSpace(body.Channel) && !IsSafeChannel(body.Channel.Trim()))
        {
            // It is printed on receipts and exported to spreadsheets: a name, never markup or a formula (=, +, -, @).
            Add("channel", "must start with a letter or digit and hold only letters, digits, spaces, '.', '_' and '-'");
        }
        if (body.PaymentReference is { Length: > MaxReferenceLength })
        {
            Add("paymentReference", $"must be at most {MaxReferenceLength} characters");
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new VendCommand(idempotencyKey!, meterNumber, body.Site?.Trim(), body.Unit?.Trim(), amount,
            string.IsNullOrWhiteSpace(body.Channel) ? null : body.Channel.Trim(),
            string.IsNullOrWhiteSpace(body.PaymentReference) ? null : body.PaymentReference.Trim()), errors);
    }
}
