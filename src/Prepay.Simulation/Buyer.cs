using NodaTime;

namespace Prepay.Simulation;

/// <summary>
/// A customer's app buying credit: a new idempotency key per purchase, sent to any node; with no answer in time (the
/// node died, the database is slow) or a 503, the same key again to the next node, until a 201 or a 409 comes. A
/// late answer to an earlier try must name the same vend.
/// </summary>
internal sealed class Buyer(World world, int index)
{
    private static readonly Duration Timeout = Duration.FromSeconds(5);
    private int _purchases;
    private int _attempt;

    /// <summary>A purchase not answered yet.</summary>
    public bool Waiting { get; private set; }

    public void Start() => world.Scheduler.After(world.Scheduler.Between(Duration.FromMinutes(1), Duration.FromMinutes(10)), "buy", Buy);

    private void Buy()
    {
        if (!world.Busy)
        {
            return;
        }
        var s = world.Scheduler;
        var request = new VendRequest($"buyer{index}-{++_purchases}", s.Random.Next(world.Options.Meters), 500 * s.Random.Next(1, 11));
        Waiting = true;
        Try(request, s.Random.Next(world.Nodes.Count));
    }

    private void Try(VendRequest request, int node)
    {
        var s = world.Scheduler;
        var attempt = ++_attempt;
        var target = world.Nodes[node % world.Nodes.Count];
        s.After(s.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(20)), "vend request", () =>
        {
            if (target.Alive)
            {
                target.Vend(request, answer => s.After(s.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(20)), "vend answer", () => Answered(request, answer, attempt, node)));
            }
        });
        s.After(Timeout, "vend timeout", () =>
        {
            if (_attempt == attempt && Waiting)
            {
                Try(request, node + 1);
            }
        });
    }

    private void Answered(VendRequest request, VendAnswer answer, int attempt, int node)
    {
        if (_attempt != attempt || !Waiting)
        {
            return; // a try given up on: its connection is closed, nobody hears the answer
        }
        if (answer.Status == 503)
        {
            // The app waits a second before trying the next node (Retry-After), as a client should.
            world.Scheduler.After(Duration.FromSeconds(1), "vend retry", () =>
            {
                if (_attempt == attempt && Waiting)
                {
                    Try(request, node + 1);
                }
            });
            return;
        }
        if (answer.Status == 201)
        {
            if (world.Answered.TryGetValue(request.Key, out var earlier) && earlier != answer.VendId)
            {
                throw new InvariantViolationException("credit-sold-once", $"key {request.Key} was answered with vend {earlier} and then vend {answer.VendId}");
            }
            world.Answered[request.Key] = answer.VendId;
        }
        Waiting = false;
        world.Scheduler.After(world.Scheduler.Between(Duration.FromMinutes(2), Duration.FromMinutes(20)), "buy", Buy);
    }
}
