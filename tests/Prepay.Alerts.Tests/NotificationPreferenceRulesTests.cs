using Prepay.Alerts.Preferences;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Tests;

public class NotificationPreferenceRulesTests
{
    [Theory]
    [InlineData(NotificationChannel.Email, null, true, AddressProblem.None)]
    [InlineData(NotificationChannel.Email, "thandi@example.org", true, AddressProblem.None)]
    [InlineData(NotificationChannel.Email, "not an address", true, AddressProblem.NotAnEmail)]
    [InlineData(NotificationChannel.Email, "", true, AddressProblem.Length)]
    [InlineData(NotificationChannel.Sms, "+27 82 555 0101", true, AddressProblem.None)]
    [InlineData(NotificationChannel.Push, null, true, AddressProblem.PushNeedsDeviceToken)]
    [InlineData(NotificationChannel.Push, null, false, AddressProblem.None)]
    [InlineData(NotificationChannel.Push, "device-1", true, AddressProblem.None)]
    public void An_address_is_checked_the_same_for_the_portal_and_the_api(NotificationChannel channel, string? address, bool enabled, AddressProblem expected) =>
        Assert.Equal(expected, NotificationPreferenceRules.Check(channel, address, enabled));

    [Fact]
    public void An_over_long_address_and_days_outside_one_to_sixty_are_refused()
    {
        Assert.Equal(AddressProblem.Length, NotificationPreferenceRules.Check(NotificationChannel.Sms, new string('1', 321), true));
        Assert.Equal(AddressProblem.None, NotificationPreferenceRules.Check(NotificationChannel.Sms, new string('1', 320), true));
        Assert.Equal([false, true, true, false], new[] { 0, 1, 60, 61 }.Select(NotificationPreferenceRules.DaysAllowed));
    }
}
