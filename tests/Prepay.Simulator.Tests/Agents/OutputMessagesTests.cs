using NodaTime;
using Prepay.Meter.Events;
using Prepay.Simulator.Agents;

namespace Prepay.Simulator.Tests.Agents;

/// <summary>The meter's outputs as protocol events: the type its JSON name, the details its other fields.</summary>
public sealed class OutputMessagesTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 23, 8, 30);

    [Fact]
    public void Credit_handed_over_goes_out_as_an_event_with_the_register_and_the_emergency_credit_owed()
    {
        var payload = OutputMessages.Event(new CreditHandedOver(At, 1_234, 500));

        Assert.Equal((At.ToDateTimeOffset(), "creditHandedOver", """{"creditWh":1234,"emergencyOwedWh":500}"""), (payload.At, payload.Type, payload.Details));
    }

    [Fact]
    public void Credit_taken_over_goes_out_as_an_event_with_the_credit_the_meter_starts_from()
    {
        var payload = OutputMessages.Event(new CreditTakenOver(At, 2_500));

        Assert.Equal((At.ToDateTimeOffset(), "creditTakenOver", """{"creditWh":2500}"""), (payload.At, payload.Type, payload.Details));
    }
}
