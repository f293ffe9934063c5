using Prepay.HeadEnd.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

public sealed class DlmsOutcomeTests
{
    [Fact]
    public void A_failure_prints_its_problem_and_reason_and_its_value_refuses_with_them()
    {
        var failure = DlmsOutcome.Transient<int>(DlmsProblem.ConnectionFailed, "Connection refused");
        Assert.Contains("ConnectionFailed", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("Connection refused", failure.ToString(), StringComparison.Ordinal);
        var refused = Assert.Throws<InvalidOperationException>(() => failure.ValueOrThrow);
        Assert.Contains("Connection refused", refused.Message, StringComparison.Ordinal);
        Assert.Contains("7", DlmsOutcome.Success(7).ToString(), StringComparison.Ordinal);
    }
}
