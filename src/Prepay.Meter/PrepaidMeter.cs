using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Keypad;
using Prepay.Meter.Load;
using Prepay.Meter.Registers;
using Prepay.Meter.Snapshots;
using Prepay.Sts.Meter;

namespace Prepay.Meter;

/// <summary>
/// A virtual prepaid electricity meter. Inputs are method calls (time, keypad, button, remote commands, injected
/// faults); each returns the outputs it caused, in order, stamped with the meter's instant. Time only moves by
/// <see cref="Advance"/>: demand is constant within each UTC minute and integrated exactly, and the meter stops
/// at the instant credit crosses a threshold, so events fall at the same instants however time is sliced.
/// Not thread-safe: one caller per meter.
/// </summary>
public sealed partial class PrepaidMeter
{
    /// <summary>Over-voltage limit: 230 V + 10 %.</summary>
    public const int OverVoltageDeciVolts = 2530;

    /// <summary>Under-voltage limit: 230 V − 10 %.</summary>
    public const int UnderVoltageDeciVolts = 2070;

    private static readonly Duration ReadingInterval = Duration.FromMinutes(15);

    private readonly MeterConfiguration _config;
    private readonly DateTimeZone _zone;
    private readonly LoadProfile _load;
    private readonly EnergyRegister _energy;
    private readonly CreditAccount _credit;
    private readonly Relay _relay;
    private readonly TokenKeypad _keypad;
    private readonly CommandLog _commands;
    private readonly List<MeterOutput> _outputs = [];
    private Instant _now;
    private long _lastIntervalEnergyWh;
    private bool _lowArmed;
    private bool _exhaustedArmed;
    private CreditPolicy _policy;
    private int? _powerLimitWatts;
    private Instant? _overloadRetryAt;
    private Alarms _alarms;
    private int? _voltageOverride;
    private int _extraLoadWatts;
    private KeypadResult? _lastKeypadResult;

    /// <summary>A new meter at <see cref="MeterConfiguration.Start"/>, relay closed (opened at once if there is no credit).</summary>
    public PrepaidMeter(MeterConfiguration configuration)
        : this(configuration, Fresh(configuration))
    {
        Evaluate();
        _outputs.Clear();
    }

    private PrepaidMeter(MeterConfiguration configuration, MeterSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _config = configuration;
        _zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(configuration.ZoneId)
            ?? throw new ArgumentException($"Unknown time zone '{configuration.ZoneId}'.", nameof(configuration));
        _load = new LoadProfile(configuration.Shape, configuration.Seed, _zone, configuration.LoadScalePercent, configuration.WinterPeakMonth);
        _now = s.Now;
        _energy = new EnergyRegister(s.EnergyWh, s.EnergyRemainderWattNanoseconds);
        _lastIntervalEnergyWh = s.LastIntervalEnergyWh;
        _credit = new CreditAccount(s.CreditWh, s.EmergencyOwedWh);
        _lowArmed = s.LowCreditArmed;
        _exhaustedArmed = s.ExhaustedArmed;
        _policy = s.Policy;
        _powerLimitWatts = s.PowerLimitWatts;
        _relay = new Relay(s.RelayReasons);
        _overloadRetryAt = s.OverloadRetryAt;
        _alarms = s.Alarms;
        _voltageOverride = s.VoltageOverrideDeciVolts;
        _extraLoadWatts = s.ExtraLoadWatts;
        _lastKeypadResult = s.LastKeypadResult;
        _keypad = new TokenKeypad(s.Decoder);
        _commands = new CommandLog(s.CommandFloor, s.Commands);
        _lastRelayCommandId = s.LastRelayCommandId;
        _lastThresholdsCommandId = s.LastThresholdsCommandId;
        _lastFriendlyHoursCommandId = s.LastFriendlyHoursCommandId;
        _lastCommandSeq = s.LastCommandSeq;
        _shownBalance = s.Balance;
        _lastBalanceCommandId = s.LastBalanceCommandId;
        _creditMode = s.CreditMode;
        _pendingCreditMode = s.PendingCreditMode;
        _lastCreditModeCommandId = s.LastCreditModeCommandId;
    }

    /// <summary>The meter's clock.</summary>
    public Instant Now => _now;

    /// <summary>The meter number from the configuration.</summary>
    public string MeterId => _config.MeterId;

    /// <summary>Monotonic import register, Wh.</summary>
    public long EnergyWh => _energy.Wh;

    /// <summary>
    /// Credit register, Wh (negative only in friendly hours or for protected customers). While the credit is held
    /// centrally it is 0 unless a token was typed meanwhile, and it is not counted down.
    /// </summary>
    public long CreditWh => _credit.CreditWh;

    /// <summary>Emergency credit taken and not yet repaid, Wh.</summary>
    public long EmergencyOwedWh => _credit.EmergencyOwedWh;

    /// <summary>The relay.</summary>
    public RelayState Relay => _relay.State;

    /// <summary>The key revision the STS decoder holds now (it changes with an accepted key change set).</summary>
    public int KeyRevisionNumber => _keypad.State.KeyRevisionNumber;

    /// <summary>Why the relay is open (None when connected).</summary>
    public DisconnectReasons DisconnectReasons => _relay.Reasons;

    /// <summary>The credit policy in force (thresholds and friendly hours as last set).</summary>
    public CreditPolicy Policy => _policy;

    /// <summary>The maximum power limit in force, W (null or 0 = none).</summary>
    public int? PowerLimitWatts => _powerLimitWatts;

    /// <summary>Voltage, current and active power now.</summary>
    public Instantaneous Instantaneous => Instantaneous.Of(DeciVolts(), SuppliedWatts());

    /// <summary>What the meter shows now.</summary>
    public MeterDisplay Display => new(
        _now,
        _credit.CreditWh / 1000m,
        _energy.Wh / 1000m,
        _relay.State,
        _relay.Reasons,
        _alarms,
        !IsCentral && _credit.CreditWh <= _policy.LowCreditWh,
        _credit.EmergencyOwedWh > 0,
        SuppliedWatts(),
        _lastKeypadResult)
    { Balance = _shownBalance };

    /// <summary>The money balance on the display as the server last told it (<see cref="ShowBalance"/>); null when never told.</summary>
    public ShownBalance? ShownBalance => _shownBalance;

    /// <summary>A meter continuing exactly where <paramref name="snapshot"/> was taken.</summary>
    public static PrepaidMeter Restore(MeterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new PrepaidMeter(snapshot.Configuration, snapshot);
    }

    /// <summary>Everything needed to <see cref="Restore"/> this meter.</summary>
    public MeterSnapshot Snapshot() => new(
        _config, _now, _energy.Wh, _energy.RemainderWattNanoseconds, _lastIntervalEnergyWh, _credit.CreditWh,
        _credit.EmergencyOwedWh, _lowArmed, _exhaustedArmed, _policy, _powerLimitWatts, _relay.Reasons, _overloadRetryAt,
        _alarms, _voltageOverride, _extraLoadWatts, _lastKeypadResult, _keypad.State, _commands.Floor, _commands.Records,
        _lastRelayCommandId, _lastThresholdsCommandId, _lastFriendlyHoursCommandId, _lastCommandSeq, _shownBalance, _lastBalanceCommandId,
        _creditMode, _pendingCreditMode, _lastCreditModeCommandId);

    /// <summary>Moves the clock forward by <paramref name="by"/> (≥ 0).</summary>
    public IReadOnlyList<MeterOutput> Tick(Duration by) => Advance(_now + by);

    /// <summary>
    /// Moves the clock to <paramref name="to"/> (not before <see cref="Now"/>), integrating consumption and
    /// emitting what happens on the way: credit events, relay changes, interval readings every 15 minutes.
    /// </summary>
    public IReadOnlyList<MeterOutput> Advance(Instant to)
    {
        if (to < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The meter's clock is at {_now}; time does not go back.");
        }

        while (_now < to)
        {
            Step(to);
        }

        return Flush();
    }

    /// <summary>
    /// A 20-digit STS token (dashes and spaces allowed), keyed in by the customer or delivered by the head-end
    /// (<paramref name="via"/>): either way the same decoder, so its TID memory applies the token once.
    /// </summary>
    public IReadOnlyList<MeterOutput> EnterToken(string digits, TokenSource via = TokenSource.Keypad)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (IsOutage)
        {
            return Flush(); // a meter without mains has a dark keypad
        }

        var entry = _keypad.Enter(digits);
        _lastKeypadResult = entry.Token.Result;
        if (entry.Token.Result != KeypadResult.Accept)
        {
            Emit(new TokenRejected(_now, entry.Token.Result, entry.Token.Reason, via));
            return Flush();
        }

        long added = 0;
        switch (entry.Action)
        {
            case KeypadAction.AddCredit:
                added = _credit.Add(entry.Value);
                break;
            case KeypadAction.SetPowerLimit:
                _powerLimitWatts = (int)entry.Value;
                break;
            case KeypadAction.ClearCredit:
                _credit.Clear();
                break;
            case KeypadAction.ClearTamper:
                ClearTamperAlarms();
                break;
        }

        Emit(new TokenAccepted(_now, entry.Token.Reason, entry.Action == KeypadAction.AddCredit ? entry.Value : 0, added, via));
        Evaluate();
        return Flush();
    }

    /// <summary>
    /// The customer presses the button: reconnects after credit returned (AfterButtonPress mode), or takes
    /// emergency credit (ButtonPress activation) when credit has run out.
    /// </summary>
    public IReadOnlyList<MeterOutput> PressButton()
    {
        if (IsOutage)
        {
            return Flush();
        }

        if (!IsCentral && _credit.CreditWh <= 0 && EmergencyOffered && _policy.EmergencyActivation == EmergencyActivation.ButtonPress)
        {
            TakeEmergency();
        }

        Evaluate();
        _relay.Release(DisconnectReasons.AwaitingButtonPress, _now, _outputs);
        Evaluate();
        return Flush();
    }

    private bool IsOutage => (_alarms & Alarms.PowerOutage) != 0;

    private bool EmergencyOffered => _policy.EmergencyCreditWh > 0 && _credit.EmergencyAvailable;

    private static MeterSnapshot Fresh(MeterConfiguration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new MeterSnapshot(
            c, c.Start, 0, 0, 0, c.InitialCreditWh, 0, LowCreditArmed: true, ExhaustedArmed: true, c.Policy, c.MaximumPowerWatts,
            DisconnectReasons.None, null, Alarms.None, null, 0, null, c.Sts, long.MinValue, [], long.MinValue, long.MinValue, long.MinValue);
    }

    // One slice: to the next minute boundary, overload retry or credit mark, whichever is first.
    private void Step(Instant to)
    {
        var end = Min(to, NextBoundary(_now, Duration.FromMinutes(1)));
        if (_overloadRetryAt is { } retry && retry > _now)
        {
            end = Min(end, retry);
        }

        int watts = SuppliedWatts();
        if (watts > 0 && WhUntilNextCreditMark() is { } wh)
        {
            end = Min(end, _now + _energy.TimeToAdd(wh, watts));
        }

        long consumed = _energy.Integrate(watts, end - _now);
        if (!IsCentral)
        {
            _credit.Consume(consumed); // held centrally, the server prices the readings instead
        }

        _now = end;
        if (IsOutage)
        {
            return;
        }

        Evaluate();
        if (NextBoundary(_now - Duration.Epsilon, ReadingInterval) == _now)
        {
            EmitReading(ReadingKind.Interval);
            ChangeCreditModeIfDue();
        }
    }

    private long? WhUntilNextCreditMark()
    {
        if (IsCentral)
        {
            return null; // nothing counted down, so no mark to stop at
        }

        long credit = _credit.CreditWh;
        long best = long.MaxValue;
        if (_lowArmed && credit > _policy.LowCreditWh)
        {
            best = credit - _policy.LowCreditWh;
        }

        if (credit > 0)
        {
            best = Math.Min(best, credit);
        }
        else if (_policy.FriendlyDebtLimitWh is { } limit && credit > -limit)
        {
            best = Math.Min(best, credit + limit);
        }

        return best == long.MaxValue ? null : best;
    }

    private void EmitReading(ReadingKind kind)
    {
        var now = Instantaneous;
        Emit(new Reading(_now, kind, _energy.Wh, _energy.Wh - _lastIntervalEnergyWh, _credit.CreditWh, now.VoltageDeciVolts, now.CurrentMilliAmps, now.ActivePowerWatts));
        if (kind == ReadingKind.Interval)
        {
            _lastIntervalEnergyWh = _energy.Wh;
        }
    }

    private int DemandWatts() => checked(_load.WattsAt(_now) + _extraLoadWatts);

    private int SuppliedWatts() => IsOutage || _relay.State == RelayState.Disconnected ? 0 : DemandWatts();

    private int DeciVolts() => IsOutage ? 0 : _voltageOverride ?? _load.DeciVoltsAt(_now);

    private void Emit(MeterOutput output) => _outputs.Add(output);

    private MeterOutput[] Flush()
    {
        var result = _outputs.ToArray();
        _outputs.Clear();
        return result;
    }

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;

    // The first multiple of step (since the Unix epoch) strictly after at.
    private static Instant NextBoundary(Instant at, Duration step)
    {
        long ticks = at.ToUnixTimeTicks();
        long stepTicks = step.BclCompatibleTicks;
        long floor = ticks - (((ticks % stepTicks) + stepTicks) % stepTicks);
        return Instant.FromUnixTimeTicks(floor + stepTicks);
    }
}
