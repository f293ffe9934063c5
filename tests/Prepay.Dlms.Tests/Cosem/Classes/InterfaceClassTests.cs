using NodaTime;
using NodaTime.Testing;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Tests.Cosem.Classes;

public sealed class InterfaceClassTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 3, 1, 10, 0);
    private static readonly ObisCode Energy = new(1, 0, 1, 8, 0, 255);

    [Fact]
    public void Attribute_one_is_the_logical_name_and_cannot_be_written()
    {
        var data = new Data(new ObisCode(0, 0, 96, 1, 0, 255), new VisibleString("M-1"));

        Assert.Equal(Name(new ObisCode(0, 0, 96, 1, 0, 255)), data.Get(1).Value);
        Assert.Equal(DataAccessResult.ReadWriteDenied, data.Set(1, Name(default)));
    }

    [Fact]
    public void Undefined_attributes_and_methods_are_object_undefined()
    {
        var data = new Data(new ObisCode(0, 0, 96, 1, 0, 255), new VisibleString("M-1"));

        Assert.Equal(DataAccessResult.ObjectUndefined, data.Get(3).Result);
        Assert.Equal(DataAccessResult.ObjectUndefined, data.Set(0, NullData.Instance));
        Assert.Equal(ActionResult.ObjectUndefined, data.Invoke(1, null).Result);
    }

    [Fact]
    public void A_data_value_is_writable_only_when_asked()
    {
        var fixedData = new Data(new ObisCode(0, 0, 96, 1, 0, 255), new Unsigned(1));
        var writable = new Data(new ObisCode(0, 0, 96, 1, 1, 255), new Unsigned(1), writable: true);

        Assert.Equal(DataAccessResult.ReadWriteDenied, fixedData.Set(2, new Unsigned(2)));
        Assert.Equal(DataAccessResult.Success, writable.Set(2, new Unsigned(2)));
        Assert.Equal(new Unsigned(2), writable.Get(2).Value);
    }

    [Fact]
    public void A_register_reads_its_live_value_with_scaler_and_unit()
    {
        long wh = 1234;
        var register = new Register(Energy, new ScalerUnit(0, ScalerUnit.WattHour), () => new DoubleLongUnsigned((uint)wh));
        wh = 1300;

        Assert.Equal(new DoubleLongUnsigned(1300), register.Get(2).Value);
        Assert.Equal(Structure(new Integer(0), new DlmsEnum(30)), register.Get(3).Value);
        Assert.Equal(ActionResult.ReadWriteDenied, register.Invoke(1, new Integer(0)).Result);
    }

    [Fact]
    public void An_extended_register_stamps_its_capture_time_and_resets()
    {
        var register = new ExtendedRegister(new ObisCode(1, 0, 1, 6, 0, 255), new ScalerUnit(0, ScalerUnit.Watt), new DoubleLongUnsigned(0));
        register.Capture(new DoubleLongUnsigned(4200), new Unsigned(0), Start.WithOffset(Offset.Zero));

        Assert.Equal(new DoubleLongUnsigned(4200), register.Get(2).Value);
        Assert.Equal(DateTime(CosemDateTime.From(Start.WithOffset(Offset.Zero))), register.Get(5).Value);
        Assert.Equal(ActionResult.Success, register.Invoke(1, new Integer(0)).Result);
        Assert.Equal(new DoubleLongUnsigned(0), register.Get(2).Value);
    }

    [Fact]
    public void Setting_the_clock_moves_the_meter_time_and_shift_time_moves_it_by_seconds()
    {
        var fake = new FakeClock(Start);
        var clock = new Clock(Clock.StandardName, fake);
        var target = Start + Duration.FromHours(2);

        Assert.Equal(DataAccessResult.Success, clock.Set(2, DateTime(CosemDateTime.From(target.WithOffset(Offset.Zero)))));
        Assert.Equal(target, clock.Now);
        Assert.Equal(ActionResult.Success, clock.Invoke(6, new Long(-30)).Result);
        Assert.Equal(target - Duration.FromSeconds(30), clock.Now);
        Assert.Equal(DataAccessResult.TypeUnmatched, clock.Set(2, new Unsigned(1)));
        Assert.Equal(DateTime(CosemDateTime.From(clock.Now.WithOffset(Offset.Zero))), clock.Get(2).Value);
    }

    [Fact]
    public void A_profile_buffer_reads_by_clock_range_and_by_entry()
    {
        var fake = new FakeClock(Start);
        var clock = new Clock(Clock.StandardName, fake);
        long wh = 0;
        var energy = new Register(Energy, new ScalerUnit(0, ScalerUnit.WattHour), () => new DoubleLongUnsigned((uint)wh));
        var profile = new ProfileGeneric(new ObisCode(1, 0, 99, 1, 0, 255), [clock, energy], [2, 2], 900, profileEntries: 3);
        for (int i = 0; i < 4; i++)
        {
            profile.Capture();
            fake.Advance(Duration.FromMinutes(15));
            wh += 100;
        }

        Assert.Equal(3, profile.EntriesInUse); // FIFO: the first row went
        var from = DateTime(CosemDateTime.From((Start + Duration.FromMinutes(15)).WithOffset(Offset.Zero)));
        var to = DateTime(CosemDateTime.From((Start + Duration.FromMinutes(30)).WithOffset(Offset.Zero)));
        var range = Structure(new CaptureObject(8, Clock.StandardName, 2).ToValue(), from, to, Array([new CaptureObject(3, Energy, 2).ToValue()]));
        var selected = profile.Get(2, new SelectiveAccess(1, range));

        Assert.Equal(Array([Structure(new DoubleLongUnsigned(100)), Structure(new DoubleLongUnsigned(200))]), selected.Value);
        var byEntry = profile.Get(2, new SelectiveAccess(2, Structure(new DoubleLongUnsigned(3), new DoubleLongUnsigned(0), new LongUnsigned(2), new LongUnsigned(2))));
        Assert.Equal(Array([Structure(new DoubleLongUnsigned(300))]), byEntry.Value);
        Assert.Equal(DataAccessResult.ScopeOfAccessViolated, profile.Get(3, new SelectiveAccess(1, range)).Result);
        var unknownColumn = Structure(new CaptureObject(1, default, 2).ToValue(), from, to, Array([]));
        Assert.Equal(DataAccessResult.ObjectUnavailable, profile.Get(2, new SelectiveAccess(1, unknownColumn)).Result);
    }

    [Fact]
    public void Disconnect_control_drives_the_switch_unless_its_mode_is_none()
    {
        var relay = new SimpleSupplySwitch();
        var control = new DisconnectControl(DisconnectControl.StandardName, relay);

        Assert.Equal(ActionResult.Success, control.Invoke(1, new Integer(0)).Result);
        Assert.False(relay.Connected);
        Assert.Equal(new DlmsBoolean(false), control.Get(2).Value);
        Assert.Equal(new DlmsEnum((byte)ControlState.Disconnected), control.Get(3).Value);
        Assert.Equal(ActionResult.Success, control.Invoke(2, new Integer(0)).Result);
        Assert.True(relay.Connected);
        Assert.Equal(DataAccessResult.Success, control.Set(4, new DlmsEnum(0)));
        Assert.Equal(ActionResult.ReadWriteDenied, control.Invoke(1, new Integer(0)).Result);
        Assert.True(relay.Connected);
    }

    [Fact]
    public void A_limiter_keeps_types_and_applies_a_new_normal_threshold()
    {
        var limiter = new Limiter(new ObisCode(0, 0, 17, 0, 0, 255), new CaptureObject(3, new ObisCode(1, 0, 1, 7, 0, 255), 2), 5000, 1000);

        Assert.Equal(DataAccessResult.TypeUnmatched, limiter.Set(4, new Long(3)));
        Assert.Equal(DataAccessResult.Success, limiter.Set(4, new DoubleLongUnsigned(3000)));
        Assert.Equal(3000u, limiter.ThresholdActive);
        Assert.Equal(DataAccessResult.ReadWriteDenied, limiter.Set(3, new DoubleLongUnsigned(1)));
    }

    [Fact]
    public void Account_and_credit_read_the_live_balance_and_close()
    {
        long balance = 2500;
        var credit = new Credit(Credit.StandardName, CreditType.Token, 1, () => balance);
        var account = new Account(Account.StandardName, "ZAR", -2, () => balance, [Credit.StandardName], [], [TokenGateway.StandardName]);

        Assert.Equal(new DoubleLong(2500), account.Get(5).Value);
        Assert.Equal(new DoubleLong(2500), credit.Get(2).Value);
        Assert.Equal(new DlmsEnum(3), credit.Get(8).Value); // in use
        balance = 0;
        Assert.Equal(new DlmsEnum(4), credit.Get(8).Value); // exhausted
        Assert.Equal(ActionResult.ReadWriteDenied, credit.Invoke(1, new DoubleLong(5)).Result);
        Assert.Equal(ActionResult.Success, account.Invoke(2, new Integer(0)).Result);
        Assert.Equal(AccountStatus.Closed, account.Status);
        Assert.Equal(Structure(new DlmsEnum(2), new DlmsEnum(3)), account.Get(2).Value);
    }

    [Fact]
    public void A_stored_credit_updates_and_sets_its_amount()
    {
        var credit = new Credit(new ObisCode(0, 0, 19, 11, 0, 255), CreditType.Emergency, 2, initialAmount: 100);

        Assert.Equal(ActionResult.Success, credit.Invoke(1, new DoubleLong(50)).Result);
        Assert.Equal(new DoubleLong(150), credit.Get(2).Value);
        Assert.Equal(ActionResult.Success, credit.Invoke(2, new DoubleLong(7)).Result);
        Assert.Equal(new DoubleLong(7), credit.Get(2).Value);
        Assert.Equal(ActionResult.TypeUnmatched, credit.Invoke(1, new Long(1)).Result);
    }

    [Fact]
    public void A_charge_activates_its_passive_unit_charge()
    {
        var commodity = new CaptureObject(3, Energy, 2);
        var charge = new Charge(new ObisCode(0, 0, 19, 20, 0, 255), 0, Charge.UnitCharge(0, -2, commodity, 250));
        var dearer = Charge.UnitCharge(0, -2, commodity, 300);

        Assert.Equal(ActionResult.Success, charge.Invoke(1, dearer).Result);
        Assert.NotEqual(dearer, charge.Get(5).Value);
        Assert.Equal(ActionResult.Success, charge.Invoke(2, new Integer(0)).Result);
        Assert.Equal(dearer, charge.Get(5).Value);
        Assert.Equal(ActionResult.ReadWriteDenied, charge.Invoke(3, new Integer(0)).Result);
    }

    [Fact]
    public void The_token_gateway_hands_the_token_over_and_records_its_status()
    {
        var seen = new List<Octets>();
        var gateway = new TokenGateway(TokenGateway.StandardName, t => { seen.Add(t); return t.Length == 20 ? TokenStatusCode.ExecutionOk : TokenStatusCode.FormatFailure; }, () => Start);
        var token = new Octets("12345678901234567890"u8);

        Assert.Equal(ActionResult.Success, gateway.Invoke(1, new OctetString(token)).Result);
        Assert.Equal([token], seen);
        Assert.Equal(Structure(new DlmsEnum(3), Bits8(0)), gateway.Get(6).Value);
        Assert.Equal(new OctetString(token), gateway.Get(2).Value);
        Assert.Equal(ActionResult.Success, gateway.Invoke(1, new OctetString(new Octets("12"u8))).Result);
        Assert.Equal(TokenStatusCode.FormatFailure, gateway.LastStatus);
        Assert.Equal(ActionResult.TypeUnmatched, gateway.Invoke(1, new Unsigned(1)).Result);
    }

    [Fact]
    public void The_association_lists_objects_with_its_rights_and_answers_hls_through_its_check()
    {
        var data = new Data(new ObisCode(0, 0, 96, 1, 0, 255), new Unsigned(1));
        var association = new AssociationLn(() => [data], AccessRights.ReadOnly, 16, 1, ApplicationContext.LogicalName,
            AuthenticationMechanism.HighGmac, answer => answer.Length == 3 ? new Octets([9]) : null);

        var list = Assert.IsType<DlmsArray>(association.Get(2).Value);
        var entry = Assert.IsType<DlmsStructure>(Assert.Single(list.Items));
        Assert.Equal(new LongUnsigned(1), entry.Fields[0]);
        var rights = Assert.IsType<DlmsStructure>(entry.Fields[3]);
        Assert.Equal(Structure(new Integer(2), new DlmsEnum(1), NullData.Instance), ((DlmsArray)rights.Fields[0]).Items[1]);
        Assert.Equal(DataAccessResult.ReadWriteDenied, association.Get(7).Result);
        Assert.Equal(ActionResult.OtherReason, association.Invoke(1, new OctetString(new Octets([1]))).Result);
        Assert.Equal(AssociationStatus.AssociationPending, association.Status);
        var reply = association.Invoke(1, new OctetString(new Octets([1, 2, 3])));
        Assert.Equal(new OctetString(new Octets([9])), reply.ReturnValue);
        Assert.Equal(AssociationStatus.Associated, association.Status);
    }

    [Fact]
    public void Security_setup_shows_both_system_titles_and_refuses_key_transfer()
    {
        var setup = new SecuritySetup(AssociationLn.SecuritySetupName, SecurityPolicy.AllMessagesAuthenticatedAndEncrypted, Octets.FromHex("4D4D4D0000BC614E"))
        {
            ClientSystemTitle = Octets.FromHex("4142434445464748"),
        };

        Assert.Equal(new OctetString(Octets.FromHex("4142434445464748")), setup.Get(4).Value);
        Assert.Equal(new OctetString(Octets.FromHex("4D4D4D0000BC614E")), setup.Get(5).Value);
        Assert.Equal(new DlmsEnum(3), setup.Get(2).Value);
        Assert.Equal(ActionResult.ReadWriteDenied, setup.Invoke(2, Array([])).Result);
    }
}
