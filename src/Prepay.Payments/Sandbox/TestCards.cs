namespace Prepay.Payments.Sandbox;

/// <summary>
/// The sandbox's test instruments, as card providers publish theirs: one card that pays, cards that are declined,
/// and mobile-money numbers (any, but those ending in 0002 are declined); a card and numbers ending in 0003 that pay
/// but whose refunds fail. Anything else is refused as not a test card.
/// </summary>
public static class TestCards
{
    public const string Approves = "4242424242424242";
    public const string Declines = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string DeclinedMobileSuffix = "0002";

    /// <summary>Pays, but every refund of its payments fails at the processor (retried, then failed): the refund's unhappy path.</summary>
    public const string RefundFails = "4000000000005126";

    /// <summary>Mobile-money numbers ending so pay, but their refunds fail like <see cref="RefundFails"/>.</summary>
    public const string RefundFailsMobileSuffix = "0003";

    /// <summary>The decision for a card number (spaces allowed), or an error for a number that is no test card.</summary>
    public static (bool Approved, string? DeclineReason, string? Error) Decide(string? cardNumber)
    {
        var digits = new string((cardNumber ?? "").Where(c => c != ' ' && c != '-').ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit) || !PassesLuhn(digits))
        {
            return (false, null, "Enter a card number of 12 to 19 digits with a valid check digit.");
        }
        return digits switch
        {
            Approves => (true, null, null),
            Declines => (false, "card_declined", null),
            InsufficientFunds => (false, "insufficient_funds", null),
            RefundFails => (true, null, null),
            _ => (false, null, $"This sandbox takes only its test cards, such as {Grouped(Approves)} (paid) or {Grouped(Declines)} (declined)."),
        };
    }

    /// <summary>The decision for a mobile-money number of 9 to 15 digits (a leading + and spaces allowed).</summary>
    public static (bool Approved, string? DeclineReason, string? Error) DecideMobile(string? number)
    {
        var digits = new string((number ?? "").Where(c => c is not (' ' or '+' or '-')).ToArray());
        if (digits.Length is < 9 or > 15 || !digits.All(char.IsAsciiDigit))
        {
            return (false, null, "Enter a mobile number of 9 to 15 digits.");
        }
        return digits.EndsWith(DeclinedMobileSuffix, StringComparison.Ordinal) ? (false, "payer_declined", null) : (true, null, null);
    }

    /// <summary>True for a payment made with an instrument whose refunds fail, as its masked method shows it.</summary>
    public static bool RefundsFail(string? maskedMethod) =>
        maskedMethod == Masked("card", RefundFails) || maskedMethod == Masked("mobile", RefundFailsMobileSuffix);

    /// <summary>"card •••• 4242" or "mobile •••• 4567": enough to recognise, never the whole number.</summary>
    public static string Masked(string kind, string? number)
    {
        var digits = new string((number ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? $"{kind} •••• {digits[^4..]}" : kind;
    }

    public static string Grouped(string digits) => string.Join(' ', digits.Chunk(4).Select(c => new string(c)));

    // ISO/IEC 7812-1 Annex B: the Luhn check digit.
    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
