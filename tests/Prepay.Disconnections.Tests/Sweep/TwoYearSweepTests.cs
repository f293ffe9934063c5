using NodaTime;
using Prepay.Disconnections.Push;
using Prepay.Meter;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;
using Prepay.Policy.Holidays;
using Prepay.Policy.Presets;
using Prepay.Simulator.Agents;
using Prepay.Sts;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using MeterCommand = Prepay.Meter.Commands.MeterCommand;

namespace Prepay.Disconnections.Tests.Sweep;

/// <summary>
/// Two years (2027 and 2028) in 15-minute steps over a fleet of 24 virtual meters: the three jurisdictions' presets
/// (GB-OFGEM in Europe/London, across four clock changes; IN-UPPCL in Asia/Kolkata; ZA-MUNICIPAL in
/// Africa/Johannesburg), each with credit held centrally and in the meter, keypad and smart, protected and not. Each
/// meter is the virtual firmware drawing its own seeded household load, topped up every ten days (a keypad meter by
/// an STS token typed in, a smart one by command), so its credit runs out most cycles, at every hour and on holidays.
/// <list type="bullet">
/// <item>Central credit: the balance is the sweep's (energy, in Wh: what is priced is another test's), with the
/// policy's emergency credit given once per exhaustion; at zero the disconnection is asked of the evaluator the gate
/// uses, sent only on allow, asked again at the refusal's next allowed instant.</item>
/// <item>Meter credit: the meter is told the policy's rules as the server tells it (<see cref="MeterRules"/>, through
/// MQTT v1's command and the simulator's translation, again at the new year) and cuts itself.</item>
/// </list>
/// Every cut is checked against the presets' own text (<see cref="SweepOracle"/>), the household's protection and
/// emergency credit, and explained by the evaluator's allow at that instant.
/// </summary>
public sealed class TwoYearSweepTests(ITestOutputHelper output)
{
    private static readonly DecoderKey Key = DecoderKey.ParseHex("e653341f9d5bf36f");
    private static readonly Instant Start = Instant.FromUtc(2027, 1, 1, 0, 0);
    private static readonly Instant End = Instant.FromUtc(2029, 1, 1, 0, 0);
    private static readonly Duration Step = Duration.FromMinutes(15);
    private const long TopUpWh = 80_000;
    private const long CentralEmergencyWh = 2_000;

    private sealed class SweepMeter(string preset, bool central, bool keypad, bool isProtected, int index)
    {
        public string Preset { get; } = preset;
        public bool Central { get; } = central;
        public bool Keypad { get; } = keypad;
        public bool Protected { get; } = isProtected;
        public int Index { get; } = index;
        public PolicyDocument Policy { get; } = PolicyPresets.Load(preset);
        public SweepOracle Oracle { get; } = new(preset);
        public PrepaidMeter Firmware { get; set; } = null!;
        public DateTimeZone Zone => Policy.TimeZone;
        public string Name => $"{Preset} {(Central ? "central" : "meter-credit")} {(Keypad ? "keypad" : "smart")}{(Protected ? " protected" : "")}";
        public long BalanceWh { get; set; } = TopUpWh;
        public long LastEnergyWh { get; set; }
        public bool EmergencyTaken { get; set; }
        public Instant? AskAgainAt { get; set; }
        public bool RefusedUntilTopUp { get; set; }
        public int Cuts { get; set; }
        public int Refusals { get; set; }
        public int HolidayRefusals { get; set; }
        public long CommandIds { get; set; }
        public uint LastTid { get; set; }
    }

    [Fact]
    public void Over_two_years_no_meter_is_cut_when_its_policy_forbids_and_every_cut_is_one_the_policy_allows()
    {
        var fleet = new List<SweepMeter>();
        foreach (var preset in (string[])["GB-OFGEM", "IN-UPPCL", "ZA-MUNICIPAL"])
        {
            foreach (var central in (bool[])[true, false])
            {
                foreach (var keypad in (bool[])[true, false])
                {
                    foreach (var isProtected in (bool[])[false, true])
                    {
                        fleet.Add(new SweepMeter(preset, central, keypad, isProtected, fleet.Count));
                    }
                }
            }
        }
        foreach (var m in fleet)
        {
            m.Firmware = new PrepaidMeter(new MeterConfiguration
            {
                MeterId = $"0400000{m.Index:D4}",
                Seed = 1000 + m.Index,
                Start = Start,
                ZoneId = m.Zone.Id,
                Sts = new MeterState { DecoderKey = Key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y2014, SupplyGroupCode = 123456, TariffIndex = 1 },
                // A central meter keeps no credit of its own worth the name: the server cuts it.
                InitialCreditWh = m.Central ? 1_000_000_000_000 : TopUpWh,
                Policy = new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = m.Policy.EmergencyCredit is null ? 0 : CentralEmergencyWh },
            });
            if (!m.Central)
            {
                Push(m, Start);
            }
        }

        var violations = new List<string>();
        var year = Start.InUtc().Year;
        for (var t = Start + Step; t <= End; t += Step)
        {
            foreach (var m in fleet)
            {
                var outputs = m.Firmware.Advance(t);
                if (m.Central)
                {
                    Central(m, t, violations);
                }
                else
                {
                    foreach (var cut in outputs.OfType<RelayOpened>().Where(o => o.Reason.HasFlag(DisconnectReasons.CreditExhausted)))
                    {
                        m.Cuts++;
                        Check(m, cut.At, inEmergencyCredit: false, violations);
                    }
                }
                if (IsTopUpTime(m, t))
                {
                    TopUp(m, t);
                }
            }
            if (t.InUtc().Year != year)
            {
                // The new year's holidays: the server tells every meter that cuts itself again.
                year = t.InUtc().Year;
                foreach (var m in fleet.Where(m => !m.Central))
                {
                    Push(m, t);
                }
            }
        }

        foreach (var m in fleet)
        {
            output.WriteLine($"{m.Name}: {m.Cuts} cuts, {m.Refusals} refusals ({m.HolidayRefusals} on holidays)");
        }
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Take(20)));
        Assert.All(fleet.Where(m => m.Protected), m => Assert.True(m.Cuts == 0, $"{m.Name} was cut {m.Cuts} times"));
        // Not vacuous: every other meter ran out and was cut, and the central gate refused, on holidays too.
        Assert.All(fleet.Where(m => !m.Protected), m => Assert.True(m.Cuts >= 10, $"{m.Name} was cut only {m.Cuts} times in two years"));
        Assert.All(fleet.Where(m => m.Central && !m.Protected), m => Assert.True(m.Refusals > 0, $"{m.Name} was never refused"));
        Assert.True(fleet.Where(m => m.Central).Sum(m => m.HolidayRefusals) > 0, "no refusal fell on a public holiday");
    }

    private static void Central(SweepMeter m, Instant t, List<string> violations)
    {
        var energy = m.Firmware.EnergyWh;
        m.BalanceWh -= energy - m.LastEnergyWh;
        m.LastEnergyWh = energy;
        if (m.BalanceWh > 0 || m.Firmware.Relay != RelayState.Connected)
        {
            return;
        }
        if (m.Policy.EmergencyCredit is not null && !m.EmergencyTaken)
        {
            m.EmergencyTaken = true;
        }
        var inEmergency = m.EmergencyTaken && m.Policy.EmergencyCredit is not null && m.BalanceWh > -CentralEmergencyWh;
        if (m.RefusedUntilTopUp || (m.AskAgainAt is { } again && t < again))
        {
            return;
        }
        var decision = PolicyEvaluator.Shipped.Decide(m.Policy, Request(m, t, inEmergency));
        if (decision is DisconnectionDecision.Deny deny)
        {
            m.Refusals++;
            if (deny.Rule.StartsWith("holiday.", StringComparison.Ordinal))
            {
                m.HolidayRefusals++;
            }
            m.AskAgainAt = deny.NextAllowedAt;
            // Emergency credit in use ends with the balance, not with time: ask again next step then.
            m.RefusedUntilTopUp = deny.NextAllowedAt is null && deny.Rule != "emergencyCredit";
            return;
        }
        Assert.Equal(DisconnectionDecision.AllowedRule, decision.Rule);
        m.Firmware.Apply(new Prepay.Meter.Commands.Disconnect(++m.CommandIds));
        Assert.Equal(RelayState.Disconnected, m.Firmware.Relay);
        m.Cuts++;
        Check(m, t, inEmergency, violations);
    }

    private static DisconnectionRequest Request(SweepMeter m, Instant at, bool inEmergency) => new(at, m.Zone, DisconnectionReason.CreditExhausted)
    {
        Protections = m.Protected ? CustomerProtections.Vulnerable : CustomerProtections.None,
        SwitchedToPrepaidAt = Start,
        InEmergencyCredit = inEmergency,
    };

    /// <summary>The oracle's word on a cut that happened, and the evaluator's: it must have allowed it.</summary>
    private static void Check(SweepMeter m, Instant at, bool inEmergencyCredit, List<string> violations)
    {
        var local = at.InZone(m.Zone).LocalDateTime;
        var forbidden = m.Protected ? "a protected household"
            : inEmergencyCredit ? "emergency credit in use"
            : m.Oracle.Forbids(local, Start.InZone(m.Zone).LocalDateTime);
        if (forbidden is not null)
        {
            violations.Add($"{m.Name} cut at {local} ({m.Zone.Id}) inside {forbidden}");
        }
        if (PolicyEvaluator.Shipped.Decide(m.Policy, Request(m, at, inEmergencyCredit)) is DisconnectionDecision.Deny deny)
        {
            violations.Add($"{m.Name} cut at {local} ({m.Zone.Id}) which its policy refuses ({deny.Rule})");
        }
    }

    /// <summary>Every ten days at 09:00 local, each meter a few hours after the one before.</summary>
    private static bool IsTopUpTime(SweepMeter m, Instant t)
    {
        var local = t.InZone(m.Zone).LocalDateTime;
        return (local.Date.DayOfYear + m.Index) % 10 == 0 && local.TimeOfDay == new LocalTime(9, 0).PlusMinutes(0);
    }

    private static void TopUp(SweepMeter m, Instant t)
    {
        if (m.Central)
        {
            m.BalanceWh += TopUpWh;
            if (m.BalanceWh > 0)
            {
                m.EmergencyTaken = false;
                m.AskAgainAt = null;
                m.RefusedUntilTopUp = false;
                if (m.Firmware.Relay != RelayState.Connected)
                {
                    m.Firmware.Apply(new Prepay.Meter.Commands.Connect(++m.CommandIds));
                }
            }
            return;
        }
        if (m.Keypad)
        {
            // STS token identifier: minutes since the base date, each one later than the last.
            var tid = (uint)Math.Max(m.LastTid + 1, (t - Instant.FromUtc(2014, 1, 1, 0, 0)).TotalMinutes);
            m.LastTid = tid;
            var outputs = m.Firmware.EnterToken(StsTokenIssuer.IssueCreditToken(Key, EncryptionAlgorithm.Sta, BaseDate.Y2014, 0, tid, TopUpWh / 100, 7));
            Assert.Single(outputs.OfType<TokenAccepted>());
        }
        else
        {
            m.Firmware.Apply(new Prepay.Meter.Commands.AddCredit(++m.CommandIds, TopUpWh));
        }
    }

    /// <summary>As the server tells a meter: the rules for its situation, in MQTT v1, read by the meter's side.</summary>
    private static void Push(SweepMeter m, Instant now)
    {
        var situation = new MeterSituation(m.Policy, "site", m.Zone, m.Protected ? CustomerProtections.Vulnerable : CustomerProtections.None, Start, false);
        var rules = MeterRules.For(situation, now, HolidayCalendars.Shipped);
        var message = V1Commands.ToMessage(new CommandEnvelope(Guid.NewGuid(), ++m.CommandIds, now, now + Duration.FromDays(7), rules))!;
        var command = CommandTranslation.ToMeterCommand(message, m.CommandIds, m.Firmware.Policy);
        Assert.NotNull(command);
        m.Firmware.Apply(command);
    }
}
