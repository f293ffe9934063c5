using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>
/// Refuses passwords found in lists of commonly used or breached passwords (NIST SP 800-63B §5.1.1.2), compared
/// without case and without surrounding spaces. The list ships embedded (<c>common-passwords.txt</c>).
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<PersonAccount>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim());

    public Task<IdentityResult> ValidateAsync(UserManager<PersonAccount> manager, PersonAccount user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common: choose one that is not on lists of known passwords." })
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
