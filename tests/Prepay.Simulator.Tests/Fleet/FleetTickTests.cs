using NodaTime;
using Prepay.Simulator.Fleet;

namespace Prepay.Simulator.Tests.Fleet;

/// <summary>
/// When a fleet steps: once a tick at demo speeds (not every few milliseconds, which kept a core busy walking 200
/// meters), at once when a whole largest step is owed (high speeds run as fast as before), never past the end.
/// </summary>
public sealed class FleetTickTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 4, 8, 0);
    private static readonly Instant End = Instant.MaxValue;

    [Fact]
    public void At_demo_speed_a_step_waits_for_the_rest_of_its_tick()
    {
        var options = new FleetOptions { Speed = 60, Tick = TimeSpan.FromMilliseconds(250) };
        // 100 ms after the last step, 6 simulated seconds are owed: wait the 150 ms left of the tick.
        Assert.Equal(TimeSpan.FromMilliseconds(150), Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, Now + Duration.FromSeconds(6), End, TimeSpan.FromMilliseconds(100)));
        Assert.Null(Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, Now + Duration.FromSeconds(15), End, TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public void At_high_speed_a_whole_largest_step_is_taken_without_waiting_for_the_tick()
    {
        var options = new FleetOptions { Speed = 100_000, Tick = TimeSpan.FromMilliseconds(250), MaxStep = Duration.FromMinutes(15) };
        Assert.Null(Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, Now + Duration.FromMinutes(15), End, TimeSpan.FromMilliseconds(1)));
        // 5 of 15 simulated minutes owed: the other 10 come in 6 ms of real time, before the tick.
        Assert.Equal(TimeSpan.FromMilliseconds(6), Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, Now + Duration.FromMinutes(5), End, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void The_last_step_to_the_end_is_taken_at_once_and_no_step_goes_nowhere()
    {
        var options = new FleetOptions { Speed = 60, Tick = TimeSpan.FromSeconds(1) };
        var end = Now + Duration.FromSeconds(2);
        Assert.Null(Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, end, end, TimeSpan.Zero));
        Assert.NotNull(Prepay.Simulator.Fleet.Fleet.NextStepIn(options, Now, Now, end, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_tick_outside_1_ms_to_10_s_is_refused()
    {
        Assert.Equal("tick must be 1 ms to 10 s", new FleetOptions { Tick = TimeSpan.Zero }.Validate());
        Assert.Equal("tick must be 1 ms to 10 s", new FleetOptions { Tick = TimeSpan.FromSeconds(11) }.Validate());
        Assert.Null(new FleetOptions().Validate());
    }
}
