using NodaTime;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter.Registers;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>The head-end's DLMS operations against a virtual meter served over loopback TCP with HLS-GMAC.</summary>
public sealed class DlmsMeterSessionTests : IDisposable
{
    private readonly string _counters = Directory.CreateTempSubdirectory("prepay-dlms-ic-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DlmsCounterDirectory Counters => new(_counters);

    public void Dispose() => Directory.Delete(_counters, recursive: true);

    private async Task<DlmsMeterSession> OpenAsync(VirtualDlmsMeter meter, DlmsCounterDirectory? counters = null) =>
        (await DlmsMeterSession.OpenAsync(meter.Endpoint(), FixedKeys.Right, counters ?? Counters, Ct)).ValueOrThrow;

    [Fact]
    public async Task Clock_energy_load_profile_account_and_credit_read_as_the_firmware_holds_them()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000101", creditWh: 50_000);
        await using var session = await OpenAsync(meter);

        Assert.Equal(meter.Firmware.Now, (await session.ReadClockAsync(Ct)).ValueOrThrow);
        Assert.Equal(new Energy(meter.Firmware.EnergyWh), (await session.ReadEnergyAsync(cancellationToken: Ct)).ValueOrThrow);
        Assert.True(meter.Firmware.EnergyWh > 1900, "two hours at 1 kW");

        var profile = (await session.ReadLoadProfileAsync(VirtualDlmsMeter.Started, VirtualDlmsMeter.Started + Duration.FromHours(2), Ct)).ValueOrThrow;
        Assert.Equal(meter.Number, profile.Meter);
        Assert.Equal(8, profile.Intervals.Count);
        Assert.All(profile.Intervals, i => Assert.Equal(0, i.End.ToUnixTimeSeconds() % 900));
        Assert.Equal(VirtualDlmsMeter.Started + Duration.FromHours(2), profile.Intervals[^1].End);
        Assert.Equal(new Energy(meter.Firmware.EnergyWh), profile.Intervals[^1].ActiveImport);
        Assert.True(profile.Intervals.Zip(profile.Intervals.Skip(1)).All(p => p.First.ActiveImport < p.Second.ActiveImport));

        var lastHour = (await session.ReadLoadProfileAsync(VirtualDlmsMeter.Started + Duration.FromMinutes(61), VirtualDlmsMeter.Started + Duration.FromHours(2), Ct)).ValueOrThrow;
        Assert.Equal(profile.Intervals.Skip(4), lastHour.Intervals);

        var account = (await session.ReadAccountAsync(Ct)).ValueOrThrow;
        Assert.True(account.Prepayment);
        Assert.Equal(AccountStatus.Active, account.Status);
        Assert.Equal("Wh", account.CurrencyName);
        Assert.Equal(new Energy(meter.Firmware.CreditWh), account.AvailableEnergy);
        var credit = (await session.ReadCreditAsync(cancellationToken: Ct)).ValueOrThrow;
        Assert.Equal(meter.Firmware.CreditWh, credit.Amount);
        Assert.Equal(CreditType.Token, credit.Type);
        Assert.True((await session.CloseAsync(Ct)).IsSuccess);
    }

    [Fact]
    public async Task Setting_the_clock_moves_the_meters_time_and_the_relay_follows_remote_disconnect_and_reconnect()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000102");
        await using var session = await OpenAsync(meter);

        var target = meter.Firmware.Now + Duration.FromMinutes(7);
        Assert.Equal(target, (await session.SetClockAsync(target, Offset.FromHours(2), Ct)).ValueOrThrow);
        Assert.Equal(target, (await session.ReadClockAsync(Ct)).ValueOrThrow);

        Assert.Equal(new SupplyControl(true, ControlState.Connected), (await session.ReadSupplyControlAsync(Ct)).ValueOrThrow);
        Assert.Equal(new SupplyControl(false, ControlState.Disconnected), (await session.DisconnectAsync(Ct)).ValueOrThrow);
        Assert.Equal(RelayState.Disconnected, meter.Firmware.Relay);
        Assert.Equal(new SupplyControl(true, ControlState.Connected), (await session.ReconnectAsync(Ct)).ValueOrThrow);
        Assert.Equal(RelayState.Connected, meter.Firmware.Relay);
        Assert.Equal((1, 1), (meter.Relay.Method1Successes, meter.Relay.Method2Successes));
    }

    [Fact]
    public async Task A_token_delivered_through_the_gateway_adds_credit_and_the_relay_connects_and_its_reuse_is_rejected_by_name()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000103", creditWh: 0);
        Assert.Equal(RelayState.Disconnected, meter.Firmware.Relay);
        await using var session = await OpenAsync(meter);
        Assert.Equal(TokenStatusCode.ReceivedNotProcessed, (await session.ReadTokenStatusAsync(Ct)).ValueOrThrow);
        var before = (await session.ReadCreditAsync(cancellationToken: Ct)).ValueOrThrow.Amount;

        var token = VirtualDlmsMeter.CreditToken(1, 50);
        Assert.Equal(TokenStatusCode.ExecutionOk, (await session.DeliverTokenAsync(token, Ct)).ValueOrThrow);

        var after = (await session.ReadCreditAsync(cancellationToken: Ct)).ValueOrThrow.Amount;
        Assert.True(after > before, $"credit {before} → {after}");
        Assert.Equal(meter.Firmware.CreditWh, after);
        Assert.Equal(new SupplyControl(true, ControlState.Connected), (await session.ReadSupplyControlAsync(Ct)).ValueOrThrow);
        Assert.Equal(RelayState.Connected, meter.Firmware.Relay);

        var again = await session.DeliverTokenAsync(token, Ct);
        var rejected = Assert.IsType<DlmsOutcome<TokenStatusCode>.Rejected>(again);
        Assert.Equal(DlmsProblem.TokenRejected, rejected.Problem);
        Assert.Contains(nameof(TokenStatusCode.ValidationFailure), rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(after, meter.Firmware.CreditWh);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_as_a_named_outcome_and_the_meter_serves_the_right_key_next()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000104");
        var wrong = new FixedKeys(DlmsMeterKeys.Gmac(new byte[16], VirtualDlmsMeter.AuthenticationKey));

        var refused = await DlmsMeterSession.OpenAsync(meter.Endpoint(), wrong, Counters, Ct);

        Assert.Equal(DlmsProblem.AssociationRefused, Assert.IsType<DlmsOutcome<DlmsMeterSession>.Rejected>(refused).Problem);
        var none = await DlmsMeterSession.OpenAsync(meter.Endpoint(), new FixedKeys(null), Counters, Ct);
        Assert.Equal(DlmsProblem.NoKeys, Assert.IsType<DlmsOutcome<DlmsMeterSession>.Rejected>(none).Problem);
        await using var session = await OpenAsync(meter);
        Assert.True((await session.ReadClockAsync(Ct)).IsSuccess);
    }

    [Fact]
    public async Task A_refused_attribute_is_a_named_refusal_and_the_session_goes_on()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000105");
        await using var session = await OpenAsync(meter);

        var undefined = await session.GetAsync(new CosemAttributeDescriptor(8, Clock.StandardName, 42), null, Ct);
        var refused = Assert.IsType<DlmsOutcome<Prepay.Dlms.Axdr.DlmsValue>.Rejected>(undefined);
        Assert.Equal(DlmsProblem.AccessRefused, refused.Problem);
        var readOnly = await session.SetAsync(new CosemAttributeDescriptor(3, EnergyRegisterReads.ActiveEnergyImport, 2), new Prepay.Dlms.Axdr.DoubleLongUnsigned(0), Ct);
        Assert.Equal(DlmsProblem.AccessRefused, Assert.IsType<DlmsOutcome<Prepay.Dlms.Apdus.DataAccessResult>.Rejected>(readOnly).Problem);

        Assert.False(session.Broken);
        Assert.True((await session.ReadEnergyAsync(cancellationToken: Ct)).IsSuccess);
    }

    [Fact]
    public async Task Counters_persisted_under_the_directory_carry_on_above_the_last_used_value_after_a_restart()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000106");
        await using (var first = await OpenAsync(meter, new DlmsCounterDirectory(_counters)))
        {
            Assert.True((await first.ReadClockAsync(Ct)).IsSuccess);
            Assert.True((await first.CloseAsync(Ct)).IsSuccess);
        }
        var file = Assert.Single(Directory.GetFiles(_counters, "04000000106.*.ic"));
        uint next = uint.Parse(File.ReadAllText(file), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(next > 3, "the glo-initiate-request, f(StoC) and the GET each used a value");

        // A new directory object is a restarted head-end: were a value reused, the meter would refuse it as a replay.
        await using var second = await OpenAsync(meter, new DlmsCounterDirectory(_counters));
        Assert.True((await second.ReadClockAsync(Ct)).IsSuccess);
        Assert.True(uint.Parse(File.ReadAllText(file), System.Globalization.CultureInfo.InvariantCulture) > next);
    }

    [Fact]
    public async Task Two_days_of_load_profile_arrive_whole_over_block_transfer()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000107", creditWh: 1_000_000, hours: 48);
        await using var session = await OpenAsync(meter);

        var profile = (await session.ReadLoadProfileAsync(VirtualDlmsMeter.Started, VirtualDlmsMeter.Started + Duration.FromDays(2), Ct)).ValueOrThrow;

        Assert.Equal(192, profile.Intervals.Count);
        Assert.Equal(Enumerable.Range(1, 192).Select(i => VirtualDlmsMeter.Started + Duration.FromMinutes(15 * i)), profile.Intervals.Select(i => i.End));
        Assert.Equal(new Energy(meter.Firmware.EnergyWh), profile.Intervals[^1].ActiveImport);
        // The rows walked in place are the readings the decoded tree of the same buffer gives.
        var tree = await TreeReadingsAsync(session, VirtualDlmsMeter.Started, VirtualDlmsMeter.Started + Duration.FromDays(2));
        Assert.Equal(192, tree.Count);
        Assert.Equal(tree, profile.Intervals);
        Assert.False(session.Broken);
    }

    /// <summary>The load profile's buffer by range decoded as a tree, each row turned into a reading as the tree decoder did.</summary>
    private static async Task<List<IntervalReading>> TreeReadingsAsync(DlmsMeterSession session, Instant from, Instant to)
    {
        var clock = new CaptureObject(8, Prepay.Dlms.Cosem.Classes.Clock.StandardName, 2);
        var columns = Assert.IsType<DlmsArray>((await session.GetAsync(new CosemAttributeDescriptor(7, LoadProfileReads.LoadProfile, 3), null, Ct)).ValueOrThrow)
            .Items.Select(v => CaptureObject.FromValue(v)!.Value).ToList();
        var energy = Assert.Single(columns, c => c.LogicalName == EnergyRegisterReads.ActiveEnergyImport);
        Assert.Contains(clock, columns);
        var scaler = (await session.ReadScalerUnitAsync(energy.ClassId, energy.LogicalName, Ct)).ValueOrThrow;
        var range = CosemValues.Structure(clock.ToValue(), CosemValues.DateTime(CosemDateTime.From(from.WithOffset(Offset.Zero))),
            CosemValues.DateTime(CosemDateTime.From(to.WithOffset(Offset.Zero))), CosemValues.Array([clock.ToValue(), energy.ToValue()]));
        var buffer = (await session.GetAsync(new CosemAttributeDescriptor(7, LoadProfileReads.LoadProfile, 2), new SelectiveAccess(1, range), Ct)).ValueOrThrow;
        return Assert.IsType<DlmsArray>(buffer).Items
            .Select(row => Assert.IsType<DlmsStructure>(row).Fields)
            .Select(cells => new IntervalReading(
                CosemDateTime.FromOctets(Assert.IsType<OctetString>(cells[0]).Value.Span).ToInstant()!.Value,
                EnergyScaling.ToEnergy(cells[1], scaler).ValueOrThrow))
            .ToList();
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_an_outcome_it_throws()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000108");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DlmsMeterSession.OpenAsync(meter.Endpoint(), FixedKeys.Right, Counters, cancelled.Token));
    }
}
