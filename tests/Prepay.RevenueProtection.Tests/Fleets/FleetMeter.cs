using System.Globalization;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Meter;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Load;
using Prepay.RevenueProtection.Observations;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.RevenueProtection.Tests.Fleets;

/// <summary>
/// One meter of a fault fleet: the real virtual meter run through the days in quarter hours, its customer buying
/// credit as customers do (most before it runs out, some after a day without), what it reports recorded as the
/// head-end stores it, and actions at chosen instants (faults and the harmless look-alikes the detectors must not
/// flag) applied on the meter's own clock.
/// </summary>
internal sealed class FleetMeter
{
    private static readonly DecoderKey Key = DecoderKey.ParseHex("e653341f9d5bf36f");
    private readonly Random _random;
    private readonly List<(Instant At, Action Run)> _actions = [];
    private readonly bool _letsItRunOut;
    private PrepaidMeter _meter;
    private long _nextCommand = 1;
    private long _nextEvent = 1;
    private long _nextTokenId;
    private int _sales;
    private Instant? _buyAt;

    public FleetMeter(string number, CreditPath path, long seed, Instant start, Random random)
    {
        _random = random;
        Number = MeterNumber.Parse(number);
        Path = path;
        _letsItRunOut = random.NextDouble() < 0.2;
        _nextTokenId = 10_000 + random.Next(1_000);
        _meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = number,
            Seed = seed,
            Start = start,
            Shape = random.NextDouble() < 0.8 ? LoadShape.Residential : LoadShape.Shop,
            LoadScalePercent = 60 + random.Next(80),
            MaximumPowerWatts = 9_000,
            InitialCreditWh = 20_000 + random.Next(40_000),
            Sts = new MeterState { DecoderKey = Key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993, SupplyGroupCode = 123456, TariffIndex = 1 },
            Policy = new CreditPolicy { LowCreditWh = 2_000 },
        });
    }

    public MeterNumber Number { get; }

    public CreditPath Path { get; }

    public List<ReadingPoint> Readings { get; } = [];

    public List<EventPoint> Events { get; } = [];

    public List<SalePoint> Sales { get; } = [];

    public List<RegisteredCredit> Registered { get; } = [];

    /// <summary>From this instant nothing the meter sends arrives (its modem died).</summary>
    public Instant? SilentFrom { get; set; }

    /// <summary>While the relay is open by command, the register still counts (a bridged relay).</summary>
    public bool Bridged { get; set; }

    public void At(Instant at, Action action) => _actions.Add((at, action));

    public long NextCommandId() => _nextCommand++;

    /// <summary>
    /// Runs <paramref name="action"/> at <paramref name="at"/> if the meter is supplying then, else an hour later, and
    /// so on: a fault of the load shows only on a meter whose relay is closed and whose mains are on.
    /// </summary>
    public void WhenSupplied(Instant at, Action action) =>
        At(at, () =>
        {
            if (_meter.Relay == Prepay.Meter.Registers.RelayState.Connected && (_meter.Display.ActiveAlarms & Prepay.Meter.Display.Alarms.PowerOutage) == 0)
            {
                action();
            }
            else
            {
                WhenSupplied(_meter.Now + Duration.FromHours(1), action);
            }
        });

    public void Apply(MeterCommand command) => Take(_meter.Apply(command));

    public void Take(IReadOnlyList<MeterOutput> outputs)
    {
        foreach (var output in outputs)
        {
            if (SilentFrom is { } silent && output.At >= silent)
            {
                continue;
            }
            switch (output)
            {
                case Reading { Kind: ReadingKind.Interval } r:
                    var delta = Bridged && (_meter.DisconnectReasons & Prepay.Meter.Registers.DisconnectReasons.RemoteCommand) != 0 ? 50 + _random.Next(250) : r.DeltaWh;
                    Readings.Add(new ReadingPoint(r.At, delta, r.VoltageDeciVolts, r.ActivePowerWatts));
                    break;
                case Reading or CommandAck or TokenAccepted or TokenRejected:
                    break;
                default:
                    var name = output.GetType().Name;
                    Events.Add(new EventPoint(_nextEvent++, output.At, char.ToLowerInvariant(name[0]) + name[1..]));
                    break;
            }
        }
    }

    public PrepaidMeter Meter => _meter;

    /// <summary>From now on the meter counts only <paramref name="percent"/> % of what the household uses (the rest goes round it).</summary>
    public void Bypass(int percent)
    {
        var snapshot = _meter.Snapshot();
        var c = snapshot.Configuration;
        _meter = PrepaidMeter.Restore(snapshot with { Configuration = c with { LoadScalePercent = Math.Max(1, c.LoadScalePercent * percent / 100) } });
    }

    /// <summary>A sale of <paramref name="wh"/>; <paramref name="registered"/>: the credit reaches the meter some minutes later.</summary>
    public SalePoint Sell(Instant at, long wh, bool registered = true, long? tokenId = null)
    {
        var vend = string.Create(CultureInfo.InvariantCulture, $"{Number.Value}-v{++_sales}");
        var tid = Path == CreditPath.Keypad || tokenId is not null ? tokenId ?? (_nextTokenId += 1 + _random.Next(500)) : (long?)null;
        var sale = new SalePoint(vend, at, new Energy(wh), tid);
        Sales.Add(sale);
        if (registered)
        {
            At(at + Duration.FromMinutes(1 + _random.Next(30)), () => Credit(wh, Path == CreditPath.Smart ? vend : null, tid));
        }
        return sale;
    }

    /// <summary>Credit the meter takes and reports: a command's acknowledgement (with its vend) or a token accepted (with its id).</summary>
    public void Credit(long wh, string? vend, long? tokenId)
    {
        Apply(new AddCredit(NextCommandId(), wh));
        if (SilentFrom is null || _meter.Now < SilentFrom)
        {
            Registered.Add(new RegisteredCredit(_meter.Now, new Energy(wh), vend, tokenId));
        }
    }

    /// <summary>Runs the meter to <paramref name="to"/>: the actions due on the way on its own clock, and its customer's purchases.</summary>
    public void RunTo(Instant to)
    {
        foreach (var (at, run) in _actions.Where(a => a.At <= to).OrderBy(a => a.At).ToList())
        {
            _actions.Remove((at, run));
            if (at > _meter.Now)
            {
                Take(_meter.Advance(at));
            }
            run();
        }
        Take(_meter.Advance(to));
        Buy(to);
    }

    private void Buy(Instant now)
    {
        if (_buyAt is { } due)
        {
            if (now >= due)
            {
                _buyAt = null;
                Sell(now, 30_000 + _random.Next(30_000));
            }
            return;
        }
        if (_meter.CreditWh < 8_000)
        {
            // Most top up before they run out; some wait until it is out and a day more.
            _buyAt = _letsItRunOut && _meter.CreditWh > 0 ? null : now + (_letsItRunOut ? Duration.FromHours(6 + _random.Next(24)) : Duration.FromHours(_random.Next(6)));
        }
    }

    public MeterObservations Observations(bool reportsTokens = true) =>
        new(Number, Path, Readings, Events, Sales, Registered) { ReportsTokens = reportsTokens };
}
