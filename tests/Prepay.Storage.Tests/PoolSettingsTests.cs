using Npgsql;

namespace Prepay.Storage.Tests;

/// <summary>
/// The pool settings Prepay adds to a PostgreSQL connection string (automatic preparation, no reset on close), each
/// kept as the operator wrote it when the string names it: behind pgbouncer 1.18 <c>Max Auto Prepare=0</c> must stay
/// 0 (docs/operations.md), and naming one setting leaves the others to Prepay.
/// </summary>
public sealed class PoolSettingsTests
{
    private const string Base = "Host=127.0.0.1;Username=prepay;Database=prepay";

    [Fact]
    public void A_string_naming_nothing_gets_automatic_preparation_and_no_reset()
    {
        var b = new NpgsqlConnectionStringBuilder(StorageRegistration.WithPoolSettings(Base));
        Assert.Equal((100, 2, true), (b.MaxAutoPrepare, b.AutoPrepareMinUsages, b.NoResetOnClose));
    }

    [Theory]
    [InlineData(";Max Auto Prepare=0", 0, 2, true)]
    [InlineData(";maxautoprepare=0", 0, 2, true)]
    [InlineData(";Auto Prepare Min Usages=5", 100, 5, true)]
    [InlineData(";No Reset On Close=false", 100, 2, false)]
    [InlineData(";Max Auto Prepare=0;No Reset On Close=false", 0, 2, false)]
    public void A_setting_the_string_names_is_kept_and_only_that_one(string named, int maxAutoPrepare, int minUsages, bool noReset)
    {
        var b = new NpgsqlConnectionStringBuilder(StorageRegistration.WithPoolSettings(Base + named));
        Assert.Equal((maxAutoPrepare, minUsages, noReset), (b.MaxAutoPrepare, b.AutoPrepareMinUsages, b.NoResetOnClose));
    }
}
