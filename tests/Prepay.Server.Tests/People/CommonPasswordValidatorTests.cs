using Prepay.Server.Web.People;

namespace Prepay.Server.Tests.People;

/// <summary>New passwords are checked against lists of breached and common passwords, and against their usual decorations.</summary>
public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("password1234")]        // our list
    [InlineData("PASSWORD1234")]        // without case
    [InlineData("iloveyou2024!")]       // a breached password with a year and a sign
    [InlineData("qwertyuiop12")]        // a keyboard walk
    [InlineData("abcabcabcabcabc")]     // a repeat
    [InlineData("sunshine12345")]       // a breached password with digits
    [InlineData("P@ssw0rd2024!")]       // l33t
    [InlineData("jennifer1990!!")]      // a name and a year
    [InlineData("prepayprepay1")]       // the product's name
    public void Guessable_passwords_are_refused(string password) =>
        Assert.True(CommonPasswordValidator.IsGuessable(password, "someone"), password);

    [Fact]
    public void The_users_own_name_decorated_is_refused() =>
        Assert.True(CommonPasswordValidator.IsGuessable("thandiwe.mokoena1", "thandiwe.mokoena"));

    [Theory]
    [InlineData("correct-horse-battery-staple")]
    [InlineData("tin kettle orbit 47 lagoon")]
    [InlineData("Vq7mXp2LrT9aHc4W")]
    [InlineData("lockout-test-password-7Kq")]
    public void Unguessable_passwords_pass(string password) =>
        Assert.False(CommonPasswordValidator.IsGuessable(password, "someone"), password);
}
