using NodaTime;
using Prepay.Meter;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Tokens;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;

namespace Prepay.Simulation;

/// <summary>
/// One of the fleet: the real virtual meter (<see cref="PrepaidMeter"/>, the same one the fleet simulator runs),
/// its clock moved with the world's, its outputs published through the broker, and what it applied watched by the
/// invariants. The household is medical-protected on some meters: the policy must never let those be cut.
/// </summary>
internal sealed class SimulatedMeter
{
    private static readonly DecoderKey Key = DecoderKey.ParseHex("e653341f9d5bf36f");
    private readonly World _world;
    private readonly PrepaidMeter _meter;

    public SimulatedMeter(World world, int index, Instant start)
    {
        _world = world;
        Index = index;
        IsMedical = index % 4 == 3;
        _meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = $"0400000{index:0000}",
            Seed = world.Options.Seed * 31 + index,
            Start = start,
            ZoneId = World.Zone.Id,
            WinterPeakMonth = 1,
            Sts = new MeterState { DecoderKey = Key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993, SupplyGroupCode = 123456, TariffIndex = 1 },
            InitialCreditWh = 2_000 + world.Scheduler.Random.Next(6_000),
            Policy = new CreditPolicy { LowCreditWh = 1_500 },
        });
    }

    public int Index { get; }

    public bool IsMedical { get; }

    /// <summary>Every command id the meter applied, in the order applied.</summary>
    public List<long> Applied { get; } = [];

    /// <summary>Credit applied by AddCredit commands, Wh.</summary>
    public long CreditApplied { get; private set; }

    public void Start()
    {
        _world.Scheduler.After(Duration.FromMinutes(1), "meter tick", Tick);
    }

    public void Receive(MeterCommand command)
    {
        Publish(_meter.Advance(_world.Scheduler.Now));
        var outputs = _meter.Apply(command);
        foreach (var applied in outputs.OfType<CommandApplied>())
        {
            _world.Invariants.CommandApplied(this, applied.CommandId);
            Applied.Add(applied.CommandId);
            if (command is AddCredit credit)
            {
                CreditApplied += credit.Wh;
            }
        }
        Publish(outputs);
    }

    /// <summary>The meter applied (now or before) the command <paramref name="id"/>.</summary>
    public bool HasApplied(long id) => Applied.Contains(id);

    public void SupplyVoltage(int? deciVolts) => Publish(_meter.SetSupplyVoltage(deciVolts));

    /// <summary>Mains lost: the meter hears no command until it is back (its last gasp still reports the outage).</summary>
    public void CutPower() => Publish(_meter.CutPower());

    public void RestorePower() => Publish(_meter.RestorePower());

    private void Tick()
    {
        Publish(_meter.Advance(_world.Scheduler.Now));
        // The retained status every minute, as the head-end's offline watch expects to hear from a meter.
        _world.Broker.Publish(Index, new StatusReport(_meter.Now, _meter.CreditWh, _meter.EnergyWh));
        _world.Scheduler.After(Duration.FromMinutes(1), "meter tick", Tick);
    }

    private void Publish(IReadOnlyList<MeterOutput> outputs)
    {
        foreach (var output in outputs)
        {
            _world.Broker.Publish(Index, output);
        }
    }
}
