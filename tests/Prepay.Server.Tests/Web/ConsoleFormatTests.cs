using NodaTime;
using Prepay.Server.Web.Operations;

namespace Prepay.Server.Tests.Web;

public class ConsoleFormatTests
{
    private static readonly Instant Summer = Instant.FromUtc(2026, 7, 1, 22, 30, 15);
    private static readonly Instant Winter = Instant.FromUtc(2026, 1, 1, 22, 30, 15);

    [Fact]
    public void Instants_are_written_in_the_operators_zone_with_its_offset_at_that_instant()
    {
        var johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];

        Assert.Equal("2026-07-01 22:30 UTC", ConsoleFormat.At(Summer, DateTimeZone.Utc));
        // Past local midnight: the next day there.
        Assert.Equal("2026-07-02 00:30 +02:00", ConsoleFormat.At(Summer, johannesburg));
        Assert.Equal("2026-07-02 00:30:15 +02:00", ConsoleFormat.AtSecond(Summer, johannesburg));
        // Summer time and winter time in one zone.
        Assert.Equal("2026-07-01 23:30 +01:00", ConsoleFormat.At(Summer, london));
        Assert.Equal("2026-01-01 22:30 +00:00", ConsoleFormat.At(Winter, london));
        Assert.Equal("—", ConsoleFormat.At(null, london));
    }
}
