using System.Text;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Meter.Commands;
using Prepay.Meter.Events;
using Prepay.Meter.Keypad;
using Prepay.Meter.Registers;
using Prepay.Sts.Meter;
using DlmsClock = Prepay.Dlms.Cosem.Classes.Clock;
using DlmsCredit = Prepay.Dlms.Cosem.Classes.Credit;

namespace Prepay.Meter.Dlms;

/// <summary>
/// The virtual meter's firmware seen as COSEM objects (the objects a prepayment DLMS meter carries): clock
/// 0.0.1.0.0.255, active energy import 1.0.1.8.0.255 (Wh, scaler 0), disconnect control 0.0.96.3.10.255, load
/// profile 1.0.99.1.0.255 (clock and energy, 15 min), account 0.0.19.0.0.255, credit 0.0.19.10.0.255 and token
/// gateway 0.0.19.40.0.255. Credit is in Wh, as an STS meter counts it. Every object reaches the firmware under
/// <see cref="Gate"/>; whoever advances the meter's time takes it too, through <see cref="Advance"/>.
/// </summary>
public sealed class DlmsMeter
{
    public static readonly ObisCode EnergyName = new(1, 0, 1, 8, 0, 255);
    public static readonly ObisCode LoadProfileName = new(1, 0, 99, 1, 0, 255);
    private static readonly Duration CapturePeriod = Duration.FromMinutes(15);

    // Relay commands over DLMS get their own id range so they never collide with ids a head-end sent.
    private long _nextCommandId = 1L << 40;
    private Instant _nextCapture;

    public DlmsMeter(PrepaidMeter meter, Offset offset = default)
    {
        Meter = meter ?? throw new ArgumentNullException(nameof(meter));
        var clock = new DlmsClock(DlmsClock.StandardName, new FirmwareClock(this), offset);
        var energy = new Register(EnergyName, new ScalerUnit(0, ScalerUnit.WattHour), () => Locked(() => (DlmsValue)new DoubleLongUnsigned((uint)Math.Clamp(Meter.EnergyWh, 0, uint.MaxValue))));
        Profile = new ProfileGeneric(LoadProfileName, [clock, energy], [2, 2], (uint)CapturePeriod.TotalSeconds, profileEntries: 96 * 40);
        Objects =
        [
            clock,
            energy,
            new DisconnectControl(DisconnectControl.StandardName, new FirmwareRelay(this)),
            Profile,
            new Account(Account.StandardName, "Wh", 0, () => Locked(() => Meter.CreditWh), [DlmsCredit.StandardName], [], [TokenGateway.StandardName]),
            new DlmsCredit(DlmsCredit.StandardName, CreditType.Token, 1, () => Locked(() => Meter.CreditWh)),
            new TokenGateway(TokenGateway.StandardName, EnterToken, () => Locked(() => Meter.Now), offset),
        ];
        _nextCapture = NextBoundary(meter.Now);
    }

    public object Gate { get; } = new();

    public PrepaidMeter Meter { get; }

    public ProfileGeneric Profile { get; }

    public IReadOnlyList<ICosemObject> Objects { get; }

    /// <summary>
    /// What the firmware did on a client's request (a token through the gateway, the relay by disconnect control),
    /// raised under <see cref="Gate"/> on the server's thread: handlers must be quick and must not block.
    /// </summary>
    public event Action<IReadOnlyList<MeterOutput>>? RemoteOutputs;

    /// <summary>What the public client may read without security: clock and energy.</summary>
    public static IReadOnlySet<ObisCode> PublicObjects { get; } = new HashSet<ObisCode> { DlmsClock.StandardName, EnergyName };

    /// <summary>Advances the firmware, capturing a load-profile row at each quarter-hour boundary crossed.</summary>
    public IReadOnlyList<MeterOutput> Advance(Duration by)
    {
        var outputs = new List<MeterOutput>();
        lock (Gate)
        {
            var to = Meter.Now + by;
            while (_nextCapture <= to)
            {
                outputs.AddRange(Meter.Advance(_nextCapture));
                Profile.Capture();
                _nextCapture += CapturePeriod;
            }
            outputs.AddRange(Meter.Advance(to));
        }
        return outputs;
    }

    private static Instant NextBoundary(Instant now)
    {
        long period = CapturePeriod.BclCompatibleTicks;
        long ticks = now.ToUnixTimeTicks();
        return Instant.FromUnixTimeTicks((ticks / period + 1) * period);
    }

    private T Locked<T>(Func<T> read)
    {
        lock (Gate)
        {
            return read();
        }
    }

    // Blue Book token_status: accepted tokens are executed; a token the decoder cannot authenticate (format, key,
    // CRC) is an authentication failure; a used or too old TID fails validation; a dark meter has not processed it.
    private TokenStatusCode EnterToken(Octets token)
    {
        var outputs = Locked(() => Raised(Meter.EnterToken(Encoding.ASCII.GetString(token.Span), TokenSource.Remote)));
        if (outputs.OfType<TokenAccepted>().Any())
        {
            return TokenStatusCode.ExecutionOk;
        }
        return outputs.OfType<TokenRejected>().FirstOrDefault() switch
        {
            { Result: KeypadResult.Reject } => TokenStatusCode.AuthenticationFailure,
            { } => TokenStatusCode.ValidationFailure,
            null => TokenStatusCode.ReceivedNotProcessed,
        };
    }

    // Under the gate.
    private IReadOnlyList<MeterOutput> Raised(IReadOnlyList<MeterOutput> outputs)
    {
        if (outputs.Count > 0)
        {
            RemoteOutputs?.Invoke(outputs);
        }
        return outputs;
    }

    private sealed class FirmwareClock(DlmsMeter owner) : IClock
    {
        public Instant GetCurrentInstant() => owner.Locked(() => owner.Meter.Now);
    }

    private sealed class FirmwareRelay(DlmsMeter owner) : ISupplySwitch
    {
        public bool Connected => owner.Locked(() => owner.Meter.Relay == RelayState.Connected);

        public bool Disconnect() => owner.Locked(() => Applied(owner.Raised(owner.Meter.Apply(new Commands.Disconnect(owner._nextCommandId++)))));

        public bool Reconnect() => owner.Locked(() => Applied(owner.Raised(owner.Meter.Apply(new Connect(owner._nextCommandId++)))));

        private static bool Applied(IReadOnlyList<MeterOutput> outputs) => !outputs.OfType<CommandRejected>().Any();
    }
}
