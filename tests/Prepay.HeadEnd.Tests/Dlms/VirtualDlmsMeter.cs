using System.Net;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter;
using Prepay.Meter.Credit;
using Prepay.Meter.Dlms;
using Prepay.Sts;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>
/// A virtual prepaid meter (the firmware model) served as a DLMS meter by Prepay.Dlms's server on a loopback port,
/// with HLS-GMAC keys. The disconnect control and the load profile are wrapped to count, on the meter's side, what
/// the head-end made them do.
/// </summary>
internal sealed class VirtualDlmsMeter : IAsyncDisposable
{
    public static readonly byte[] BlockCipherKey = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    public static readonly byte[] AuthenticationKey = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    public static readonly DecoderKey StsKey = DecoderKey.ParseHex("e653341f9d5bf36f");
    public static readonly Instant Started = Instant.FromUtc(2026, 3, 2, 16, 0);

    private readonly SecuritySuite0 _suite;

    private VirtualDlmsMeter(DlmsMeter dlms, DlmsServer server, SecuritySuite0 suite, CountingObject relay, CountingObject profile)
    {
        Dlms = dlms;
        Server = server;
        _suite = suite;
        Relay = relay;
        Profile = profile;
    }

    public DlmsMeter Dlms { get; }

    public DlmsServer Server { get; }

    /// <summary>The meter's disconnect control: its successful remote_disconnect (method 1) and remote_reconnect (2).</summary>
    public CountingObject Relay { get; }

    /// <summary>The meter's load profile: its buffer reads by range.</summary>
    public CountingObject Profile { get; }

    public PrepaidMeter Firmware => Dlms.Meter;

    public MeterNumber Number => MeterNumber.Parse(Firmware.MeterId);

    /// <summary>A meter with a constant load, advanced <paramref name="hours"/> (four load-profile rows an hour), serving on a loopback port.</summary>
    public static VirtualDlmsMeter Serve(string meterId, long creditWh = 100_000, int watts = 1000, int hours = 2)
    {
        var firmware = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = meterId,
            Seed = 42,
            Start = Started,
            Sts = new MeterState { DecoderKey = StsKey, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993, SupplyGroupCode = 123456, TariffIndex = 1 },
            LoadScalePercent = 0,
            InitialCreditWh = creditWh,
            Policy = new CreditPolicy { LowCreditWh = 0 },
        });
        firmware.SetExtraLoad(watts);
        var dlms = new DlmsMeter(firmware);
        dlms.Advance(Duration.FromHours(hours));
        return Serve(dlms);
    }

    /// <summary>The meter <paramref name="configuration"/> describes, drawing <paramref name="watts"/>, serving on a loopback port from its start.</summary>
    public static VirtualDlmsMeter Serve(MeterConfiguration configuration, int watts)
    {
        var firmware = new PrepaidMeter(configuration);
        firmware.SetExtraLoad(watts);
        return Serve(new DlmsMeter(firmware));
    }

    /// <summary>The meter's system title as it answers in its AARE: "PRM" and the last ten digits of its number.</summary>
    public static string SystemTitleHex(string meterId) => "50524D" + meterId.PadLeft(10, '0')[^10..];

    private static VirtualDlmsMeter Serve(DlmsMeter dlms)
    {
        var meterId = dlms.Meter.MeterId;
        var relay = new CountingObject(dlms.Objects.Single(o => o.LogicalName == DisconnectControl.StandardName));
        var profile = new CountingObject(dlms.Profile);
        var objects = dlms.Objects.Select(o => o == relay.Inner ? relay : o == profile.Inner ? (ICosemObject)profile : o).ToList();
        var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        var server = new DlmsServer(new DlmsServerOptions
        {
            Objects = objects,
            PublicObjects = DlmsMeter.PublicObjects,
            Suite = suite,
            SystemTitle = Octets.FromHex(SystemTitleHex(meterId)),
        }, new IPEndPoint(IPAddress.Loopback, 0));
        server.Start();
        return new VirtualDlmsMeter(dlms, server, suite, relay, profile);
    }

    public DlmsMeterEndpoint Endpoint(DlmsAuthentication authentication = DlmsAuthentication.HighGmac) => new()
    {
        Meter = Number,
        Host = "127.0.0.1",
        Port = Server.Port,
        Authentication = authentication,
        ResponseTimeout = TimeSpan.FromSeconds(30),
    };

    public static string CreditToken(uint tid, long units) =>
        StsTokenIssuer.IssueCreditToken(StsKey, EncryptionAlgorithm.Sta, BaseDate.Y1993, 0, tid, units, 7);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _suite.Dispose();
    }
}

/// <summary>Keys for every meter: the virtual meters' suite 0 keys, or other ones to be refused with.</summary>
internal sealed class FixedKeys(DlmsMeterKeys? keys) : IDlmsKeyProvider
{
    public static FixedKeys Right { get; } = new(DlmsMeterKeys.Gmac(VirtualDlmsMeter.BlockCipherKey, VirtualDlmsMeter.AuthenticationKey));

    public DlmsMeterKeys? KeysFor(MeterNumber meter) => keys;
}

/// <summary>A COSEM object that counts, on the meter's side, successful method calls and selective reads.</summary>
internal sealed class CountingObject(ICosemObject inner) : ICosemObject
{
    private int _method1;
    private int _method2;
    private int _selectiveReads;

    public ICosemObject Inner => inner;

    public int Method1Successes => Volatile.Read(ref _method1);

    public int Method2Successes => Volatile.Read(ref _method2);

    public int SelectiveReads => Volatile.Read(ref _selectiveReads);

    public ushort ClassId => inner.ClassId;

    public byte Version => inner.Version;

    public ObisCode LogicalName => inner.LogicalName;

    public int AttributeCount => inner.AttributeCount;

    public int MethodCount => inner.MethodCount;

    public AttributeRead Get(int attributeId, SelectiveAccess? access = null)
    {
        var read = inner.Get(attributeId, access);
        if (access is not null && read.Result == DataAccessResult.Success)
        {
            Interlocked.Increment(ref _selectiveReads);
        }
        return read;
    }

    public DataAccessResult Set(int attributeId, DlmsValue value) => inner.Set(attributeId, value);

    public MethodOutcome Invoke(int methodId, DlmsValue? parameters)
    {
        var outcome = inner.Invoke(methodId, parameters);
        if (outcome.Result == ActionResult.Success)
        {
            Interlocked.Increment(ref methodId == 1 ? ref _method1 : ref _method2);
        }
        return outcome;
    }
}
