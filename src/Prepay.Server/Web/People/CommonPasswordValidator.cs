using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>
/// Refuses passwords found in lists of commonly used or breached passwords (NIST SP 800-63B §5.1.1.2), compared
/// without case and without surrounding spaces: our own list (<c>common-passwords.txt</c>, embedded), and the
/// estimator zxcvbn with its dictionaries (30,000 passwords from breaches, English words, names, films), which also
/// sees through the usual decorations of a known password (digits and years added, l33t, keyboard walks,
/// repeats, the user's own name). An estimate below <see cref="MinimumScore"/> is refused.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<PersonAccount>
{
    /// <summary>zxcvbn's score (0 to 4) a password needs: 3, "safely unguessable: moderate protection from offline slow-hash attacks".</summary>
    public const int MinimumScore = 3;

    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim());

    /// <summary>Whether the password is on a list or guessable from one, for a person named <paramref name="userName"/>.</summary>
    public static bool IsGuessable(string password, string? userName) =>
        IsCommon(password)
        || Zxcvbn.Zxcvbn.MatchPassword(password, userName is null ? ["prepay"] : ["prepay", userName]).Score < MinimumScore;

    public Task<IdentityResult> ValidateAsync(UserManager<PersonAccount> manager, PersonAccount user, string? password) =>
        Task.FromResult(password is not null && IsGuessable(password, user.UserName)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common, or too easily guessed from common ones: choose one that is not on lists of known passwords, for example four unrelated words." })
            : IdentityResult.Success);

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Prepay.Server.Web.People.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } word && !word.StartsWith('#'))
            {
                set.Add(word);
            }
        }
        return set;
    }
}
