using Prepay.Storage.Records.Metering;

namespace Prepay.Storage.Tests;

/// <summary>
/// The reference a vend's credit command carries is stored in rows already written, so its format is held here as it
/// is (<c>vend</c> and the id's 32 hex digits), and the parser takes that and nothing else a command may be queued for.
/// </summary>
public sealed class CreditCommandReferenceTests
{
    [Fact]
    public void A_vends_reference_reads_back_as_its_vend_and_nothing_else_does()
    {
        var vend = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

        Assert.Equal("vend 0193a1b2c3d47e5f8a9b0c1d2e3f4a5b", CreditCommandReference.For(vend));
        Assert.Equal(vend, CreditCommandReference.VendOf(CreditCommandReference.For(vend)));
        Assert.All(new[] { null, "", "vend ", "vend 1", $"vend {vend}", $"Vend {vend:N}", $"vend {vend:N} to central credit", "central-credit: exhausted" },
            other => Assert.Null(CreditCommandReference.VendOf(other)));
    }
}
