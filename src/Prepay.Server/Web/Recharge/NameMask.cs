namespace Prepay.Server.Web.Recharge;

/// <summary>
/// A name shown to someone who has not signed in: one initial per name ("T. N."), enough for a payer who knows
/// whose room it is to recognise the account, not enough for anyone else to learn who lives there. No lengths
/// either: "Th*** N****" told a stranger how long each name was.
/// </summary>
public static class NameMask
{
    public static string Mask(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "(no customer)";
        }
        var initials = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.StartsWith('(') && char.IsLetterOrDigit(w[0]))
            .Select(w => char.ToUpperInvariant(w[0]) + ".");
        var masked = string.Join(' ', initials);
        return masked.Length == 0 ? "(no customer)" : masked;
    }
}
