namespace Prepay.Server.Web.People;

/// <summary>The sign-in rules, stated once: the pages' messages quote them.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
}
