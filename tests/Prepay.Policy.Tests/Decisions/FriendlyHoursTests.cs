using NodaTime;
using static Prepay.Policy.Tests.TestPolicies;

namespace Prepay.Policy.Tests.Decisions;

public sealed class FriendlyHoursTests
{
    private static readonly Prepay.Policy.Documents.PolicyDocument Nights = With("""
        , "friendlyHours": {
            "saturday": [{ "start": "22:00", "end": "03:00", "nextDay": true }],
            "sunday": [{ "start": "00:30", "end": "01:30" }]
          }
        """);

    [Fact]
    public void A_window_that_crosses_midnight_refuses_after_midnight_and_ends_the_next_morning()
    {
        var decision = Denied(Decide(Nights, Local(London, 2027, 6, 6, 2, 30), London));
        Assert.Equal("friendlyHours.saturday", decision.Rule);
        Assert.Equal(Local(London, 2027, 6, 6, 3, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void The_window_ends_at_its_local_time_when_the_clocks_go_forward_inside_it()
    {
        // 28 March 2027: London's clocks go from 01:00 GMT to 02:00 BST; the window still ends at 03:00 local, 02:00 UTC.
        var decision = Denied(Decide(Nights, Instant.FromUtc(2027, 3, 27, 23, 0), London));
        Assert.Equal("friendlyHours.saturday", decision.Rule);
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 2, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void The_window_ends_at_its_local_time_when_the_clocks_go_back_inside_it()
    {
        // 31 October 2027: 02:00 BST becomes 01:00 GMT; 03:00 local is then 03:00 UTC, five hours after 22:00 BST.
        var decision = Denied(Decide(Nights, Instant.FromUtc(2027, 10, 30, 21, 0), London));
        Assert.Equal(Instant.FromUtc(2027, 10, 31, 3, 0), decision.NextAllowedAt);
        Assert.True(Decide(Nights, Instant.FromUtc(2027, 10, 31, 3, 0), London).IsAllowed);
        Assert.False(Decide(Nights, Instant.FromUtc(2027, 10, 31, 2, 59), London).IsAllowed);
    }

    [Fact]
    public void A_window_whose_end_falls_in_the_skipped_hour_ends_when_the_clocks_resume()
    {
        // The Sunday window 00:30 to 01:30 on 28 March 2027: 01:30 does not exist; it ends at 02:30 BST (01:30 UTC).
        var friday = With("""
            , "friendlyHours": { "sunday": [{ "start": "00:30", "end": "01:30" }] }
            """);
        var decision = Denied(Decide(friday, Instant.FromUtc(2027, 3, 28, 0, 45), London));
        Assert.Equal("friendlyHours.sunday", decision.Rule);
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 1, 30), decision.NextAllowedAt);
    }

    [Fact]
    public void Outside_every_window_the_disconnection_is_allowed_and_says_so()
    {
        var decision = Decide(Nights, Local(London, 2027, 6, 9, 12), London);
        Assert.True(decision.IsAllowed);
        Assert.Equal("policy.allows", decision.Rule);
        Assert.Contains("allows a disconnection", decision.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Adjoining_windows_are_walked_through_to_the_first_allowed_instant()
    {
        var policy = With("""
            , "friendlyHours": {
                "sunday": [{ "start": "00:00", "end": "24:00" }],
                "monday": [{ "start": "00:00", "end": "08:00" }]
              }
            """);
        var decision = Denied(Decide(policy, Local(London, 2027, 6, 6, 12), London));
        Assert.Equal("friendlyHours.sunday", decision.Rule);
        Assert.Equal(Local(London, 2027, 6, 7, 8), decision.NextAllowedAt);
        Assert.Contains("Mon 7 Jun 2027 08:00", decision.Sentence, StringComparison.Ordinal);
    }
}
