using System.Text.Json;
using System.Text.Json.Nodes;
using Prepay.MeterLink.Mqtt;
using Prepay.Meter.Events;
using Prepay.Meter.Json;

namespace Prepay.Simulator.Agents;

/// <summary>The meter's outputs as protocol payloads: readings as readings, everything else (but acks) as events.</summary>
public static class OutputMessages
{
    public static ReadingPayload Reading(Reading r) =>
        new(r.At.ToDateTimeOffset(), r.EnergyWh, r.DeltaWh, r.CreditWh, r.VoltageDeciVolts, r.CurrentMilliAmps, r.ActivePowerWatts);

    /// <summary>The event's type is the meter's JSON discriminator (lowCredit, relayOpened …); its details the other fields.</summary>
    public static EventPayload Event(MeterOutput output)
    {
        var json = JsonSerializer.SerializeToNode(output, MeterJson.Options)!.AsObject();
        var type = json["type"]!.GetValue<string>();
        json.Remove("type");
        json.Remove("at");
        var details = json.Count == 0 ? null : json.ToJsonString();
        return new EventPayload(output.At.ToDateTimeOffset(), type, details is { Length: > 2000 } ? details[..2000] : details);
    }
}
