using NodaTime;
using Prepay.Meter.Events;

namespace Prepay.Simulation;

/// <summary>A meter's message as the broker holds it until a head-end node acknowledges it.</summary>
internal sealed class Uplink(long id, int meter, MeterOutput output)
{
    public long Id { get; } = id;
    public int Meter { get; } = meter;
    public MeterOutput Output { get; } = output;
    public bool Acknowledged { get; set; }
}

/// <summary>
/// The MQTT broker between meters and the head-end nodes. Meters' links are the unreliable part: a message may be
/// lost (QoS 1: the meter sends it again a little later), arrive twice, or wait up to the seed's jitter, so messages
/// overtake each other; commands to meters the same, except that a lost command is lost (the dispatcher's retry
/// brings it). Towards the nodes it behaves as a shared subscription with a persistent session per node's client id:
/// each message goes to one connected node and stays that node's until acknowledged; a node that dies keeps its
/// unacknowledged messages in its session, delivered again when it comes back with the same client id.
/// </summary>
internal sealed class Broker(World world)
{
    private readonly List<Uplink> _waiting = [];
    private readonly List<Uplink>[] _sessions = [.. Enumerable.Range(0, world.Options.Nodes).Select(_ => new List<Uplink>())];
    private long _nextId;

    /// <summary>Every message the broker took from a meter (PUBACKed to it): each must end up stored.</summary>
    public List<Uplink> Accepted { get; } = [];

    public int Unacknowledged => _waiting.Count + _sessions.Sum(s => s.Count);

    public void Publish(int meter, MeterOutput output)
    {
        var s = world.Scheduler;
        var f = world.Faults;
        var delay = s.Between(Duration.FromMilliseconds(5), f.Jitter);
        while (s.Chance(f.Loss))
        {
            delay += Duration.FromSeconds(5); // the meter's retransmission after no PUBACK
        }
        s.After(delay, "uplink", () => Accept(meter, output));
        if (s.Chance(f.Duplicate))
        {
            s.After(s.Between(Duration.FromMilliseconds(5), f.Jitter), "uplink twice", () => Accept(meter, output));
        }
    }

    public void SendCommand(int meter, Prepay.Meter.Commands.MeterCommand command)
    {
        var s = world.Scheduler;
        var f = world.Faults;
        if (s.Chance(f.Loss))
        {
            return;
        }
        s.After(s.Between(Duration.FromMilliseconds(5), f.Jitter), "downlink", () => world.Meters[meter].Receive(command));
        if (s.Chance(f.Duplicate))
        {
            s.After(s.Between(Duration.FromMilliseconds(5), f.Jitter), "downlink twice", () => world.Meters[meter].Receive(command));
        }
    }

    /// <summary>The node's PUBACK: the message is done with.</summary>
    public void Acknowledge(Node node, Uplink message)
    {
        message.Acknowledged = true;
        _sessions[node.Index].Remove(message);
    }

    /// <summary>A node (re)connected with its client id: its session's messages are delivered again, then any waiting.</summary>
    public void Connected(Node node)
    {
        foreach (var message in _sessions[node.Index].ToList())
        {
            Deliver(node, message);
        }
        foreach (var message in _waiting.ToList())
        {
            _waiting.Remove(message);
            Hand(message);
        }
    }

    private void Accept(int meter, MeterOutput output)
    {
        var message = new Uplink(++_nextId, meter, output);
        Accepted.Add(message);
        Hand(message);
    }

    private void Hand(Uplink message)
    {
        var live = world.Nodes.Where(n => n.Alive).ToList();
        if (live.Count == 0)
        {
            _waiting.Add(message);
            return;
        }
        var node = world.Scheduler.Pick(live);
        _sessions[node.Index].Add(message);
        Deliver(node, message);
    }

    private void Deliver(Node node, Uplink message)
    {
        var incarnation = node.Incarnation;
        world.Scheduler.After(world.Scheduler.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(5)), "deliver", () =>
        {
            if (node.IsAlive(incarnation) && !message.Acknowledged)
            {
                node.Receive(message);
            }
        });
    }
}
