using NodaTime;
using Prepay.Meter.Events;

namespace Prepay.Meter.Registers;

/// <summary>The supply relay: open while any <see cref="DisconnectReasons"/> remains; emits RelayOpened/RelayClosed on change.</summary>
internal sealed class Relay(DisconnectReasons reasons)
{
    public DisconnectReasons Reasons { get; private set; } = reasons;

    public RelayState State => Reasons == DisconnectReasons.None ? RelayState.Connected : RelayState.Disconnected;

    public bool Has(DisconnectReasons reason) => (Reasons & reason) != 0;

    public void Open(DisconnectReasons reason, Instant at, List<MeterOutput> outputs) => Set(Reasons | reason, reason, at, outputs);

    public void Release(DisconnectReasons reason, Instant at, List<MeterOutput> outputs) => Set(Reasons & ~reason, reason, at, outputs);

    private void Set(DisconnectReasons next, DisconnectReasons cause, Instant at, List<MeterOutput> outputs)
    {
        bool wasConnected = State == RelayState.Connected;
        Reasons = next;
        if (wasConnected && State == RelayState.Disconnected)
        {
            outputs.Add(new RelayOpened(at, cause));
        }
        else if (!wasConnected && State == RelayState.Connected)
        {
            outputs.Add(new RelayClosed(at));
        }
    }
}
