namespace Prepay.Server.Web.Recharge;

/// <summary>
/// A name shown to someone who has not signed in: enough for a payer to recognise the account ("Th*** N****"),
/// not enough to learn who lives in a room.
/// </summary>
public static class NameMask
{
    public static string Mask(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "(no customer)";
        }
        return string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.StartsWith('('))
            .Select(w => w.Length <= 2 ? w[..1] + "*" : w[..2] + new string('*', w.Length - 2)));
    }
}
