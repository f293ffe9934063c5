using System.Net;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Wrapper;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>Peers that misbehave in real bytes: silence, a malformed answer, a closed port. Each is a named outcome.</summary>
public sealed class DlmsFaultTests : IDisposable
{
    private readonly string _counters = Directory.CreateTempSubdirectory("prepay-dlms-fault-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_counters, recursive: true);

    private DlmsMeterEndpoint Endpoint(int port) => new()
    {
        Meter = MeterNumber.Parse("04000000900"),
        Host = "127.0.0.1",
        Port = port,
        Authentication = DlmsAuthentication.HighGmac,
        ResponseTimeout = TimeSpan.FromMilliseconds(500),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task A_meter_that_never_answers_is_a_transient_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync(Ct).AsTask();

        var outcome = await DlmsMeterSession.OpenAsync(Endpoint(((IPEndPoint)silent.LocalEndpoint).Port), FixedKeys.Right, new DlmsCounterDirectory(_counters), Ct);

        Assert.Equal(DlmsProblem.Timeout, Assert.IsType<DlmsOutcome<DlmsMeterSession>.TransientFailure>(outcome).Problem);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task A_malformed_answer_is_a_named_refusal_not_an_exception()
    {
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        var peer = Task.Run(async () =>
        {
            using var client = await garbage.AcceptTcpClientAsync(Ct);
            var stream = client.GetStream();
            var request = await new WrapperFrameReader(stream).ReadAsync(Ct);
            // A wrapper frame whose APDU has a tag no DLMS service uses.
            var answer = new WrapperFrame(request!.DestinationWPort, request.SourceWPort, Octets.FromHex("FF0102"));
            await stream.WriteAsync(answer.Encode(), Ct);
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, Ct);
        }, Ct);

        var outcome = await DlmsMeterSession.OpenAsync(Endpoint(((IPEndPoint)garbage.LocalEndpoint).Port), FixedKeys.Right, new DlmsCounterDirectory(_counters), Ct);

        Assert.Equal(DlmsProblem.MalformedAnswer, Assert.IsType<DlmsOutcome<DlmsMeterSession>.Rejected>(outcome).Problem);
        await peer;
    }

    [Fact]
    public async Task A_closed_port_is_a_transient_connection_failure()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        int port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();

        var outcome = await DlmsMeterSession.OpenAsync(Endpoint(port), FixedKeys.Right, new DlmsCounterDirectory(_counters), Ct);

        Assert.Equal(DlmsProblem.ConnectionFailed, Assert.IsType<DlmsOutcome<DlmsMeterSession>.TransientFailure>(outcome).Problem);
    }

    [Theory]
    [InlineData(false, DlmsProblem.MalformedAnswer)]
    [InlineData(true, DlmsProblem.Timeout)]
    public async Task A_fault_mid_session_is_named_and_the_broken_session_refuses_further_requests(bool silent, DlmsProblem expected)
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000901");
        // Answers 1 and 2 are the AARE and the HLS reply; the third is the first GET's.
        await using var link = new FaultyLink(meter.Server.Port, faultyAnswer: 3, swallow: silent);
        var endpoint = meter.Endpoint() with { Port = link.Port, ResponseTimeout = TimeSpan.FromMilliseconds(500) };
        await using var session = (await DlmsMeterSession.OpenAsync(endpoint, FixedKeys.Right, new DlmsCounterDirectory(_counters), Ct)).ValueOrThrow;

        var first = await session.ReadClockAsync(Ct);

        Assert.Equal(expected, first switch
        {
            DlmsOutcome<NodaTime.Instant>.Rejected r => r.Problem,
            DlmsOutcome<NodaTime.Instant>.TransientFailure t => t.Problem,
            _ => throw new InvalidOperationException($"Expected a failure, got {first}."),
        });
        Assert.True(session.Broken);
        Assert.Equal(DlmsProblem.SessionBroken, Assert.IsType<DlmsOutcome<NodaTime.Instant>.TransientFailure>(await session.ReadClockAsync(Ct)).Problem);
    }
}
