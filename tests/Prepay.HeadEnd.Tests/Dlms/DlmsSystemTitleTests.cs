using Prepay.Dlms;
using Prepay.HeadEnd.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>A meter registered with its system title must answer with it under HLS, or no session opens.</summary>
public sealed class DlmsSystemTitleTests : IDisposable
{
    private readonly string _counters = Directory.CreateTempSubdirectory("prepay-dlms-title-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_counters, recursive: true);

    [Fact]
    public async Task A_session_opens_when_the_meter_answers_with_its_registered_system_title_and_is_refused_otherwise()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000777");
        var counters = new DlmsCounterDirectory(_counters);
        var right = meter.Endpoint() with { MeterSystemTitle = Octets.FromHex(VirtualDlmsMeter.SystemTitleHex("04000000777")) };
        var opened = await DlmsMeterSession.OpenAsync(right, FixedKeys.Right, counters, Ct);
        await using (opened.ValueOrThrow)
        {
            Assert.True(opened.IsSuccess);
        }

        var wrong = meter.Endpoint() with { MeterSystemTitle = Octets.FromHex("50524D0000000001") };
        var refused = await DlmsMeterSession.OpenAsync(wrong, FixedKeys.Right, counters, Ct);
        var rejection = Assert.IsType<DlmsOutcome<DlmsMeterSession>.Rejected>(refused);
        Assert.Equal(DlmsProblem.AuthenticationFailed, rejection.Problem);
        Assert.Contains("50524D0000000001", rejection.Reason, StringComparison.Ordinal);
    }
}
