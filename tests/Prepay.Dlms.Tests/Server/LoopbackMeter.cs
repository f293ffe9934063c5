using System.Net;
using NodaTime;
using NodaTime.Testing;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;

namespace Prepay.Dlms.Tests.Server;

/// <summary>A small logical device on a loopback port: clock, energy, relay, a writable note, a profile, a gateway.</summary>
internal sealed class LoopbackMeter : IAsyncDisposable
{
    public static readonly ObisCode EnergyName = new(1, 0, 1, 8, 0, 255);
    public static readonly ObisCode NoteName = new(0, 0, 96, 1, 10, 255);
    public static readonly ObisCode ProfileName = new(1, 0, 99, 1, 0, 255);
    public static readonly Octets ServerTitle = Octets.FromHex("4D4D4D0000BC614E");
    public static readonly byte[] BlockCipherKey = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    public static readonly byte[] AuthenticationKey = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");

    private readonly DlmsServer _server;

    public LoopbackMeter(byte[]? password = null, bool keys = false, ushort maxPdu = 1024, IReceivedCounterStore? received = null, IInvocationCounterStore? outgoing = null)
    {
        Received = received ?? new MemoryReceivedCounters();
        Clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 10, 0));
        var clock = new Clock(Prepay.Dlms.Cosem.Classes.Clock.StandardName, Clock);
        var energy = new Register(EnergyName, new ScalerUnit(0, ScalerUnit.WattHour), () => new DoubleLongUnsigned(EnergyWh));
        Profile = new ProfileGeneric(ProfileName, [clock, energy], [2, 2], 900, 1000);
        Gateway = new TokenGateway(TokenGateway.StandardName, t => { Tokens.Add(t); return TokenStatusCode.ExecutionOk; }, () => clock.Now);
        Objects = [clock, energy, new DisconnectControl(DisconnectControl.StandardName, Relay), new Data(NoteName, new OctetString(Octets.Empty), writable: true), Profile, Gateway];
        Suite = keys ? new SecuritySuite0(BlockCipherKey, AuthenticationKey) : null;
        _server = new DlmsServer(new DlmsServerOptions
        {
            Objects = Objects,
            PublicObjects = new HashSet<ObisCode> { Prepay.Dlms.Cosem.Classes.Clock.StandardName, EnergyName },
            Password = password,
            Suite = Suite,
            SystemTitle = ServerTitle,
            ReceivedCounters = Received,
            OutgoingCounter = outgoing ?? new MemoryInvocationCounter(),
            MaxReceivePduSize = maxPdu,
            InactivityTimeout = TimeSpan.FromSeconds(20),
        }, new IPEndPoint(IPAddress.Loopback, 0));
        _server.Start();
    }

    public FakeClock Clock { get; }

    public uint EnergyWh { get; set; } = 1234;

    public SimpleSupplySwitch Relay { get; } = new();

    public ProfileGeneric Profile { get; }

    public TokenGateway Gateway { get; }

    public List<Octets> Tokens { get; } = [];

    public IReadOnlyList<ICosemObject> Objects { get; }

    public SecuritySuite0? Suite { get; }

    public IReceivedCounterStore Received { get; }

    public int Port => _server.Port;

    public int ConnectionsServed => _server.ConnectionsServed;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Suite?.Dispose();
    }
}
