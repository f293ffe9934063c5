using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server.Web.Recharge;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Web;

/// <summary>
/// How an anonymous payer finds a meter on <c>/recharge</c>: by room only with the meter number's last four digits,
/// one answer for every miss, names as initials; run once per database provider.
/// </summary>
public abstract class RechargeLookupTests(ServerFixture server)
{
    private async Task<(RechargeQuote? Quote, string? Problem)> QuoteAsync(string? meterNumber, string? site, string? unit, string? ending)
    {
        await using var scope = server.Scope();
        return await server.Services.GetRequiredService<RechargeQuotes>()
            .QuoteAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), meterNumber, site, unit, ending, "50.00", Ct);
    }

    [Fact]
    public async Task A_room_is_found_only_with_the_meter_numbers_last_four_digits_and_every_miss_gets_the_same_answer()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        var ending = s.MeterNumber[^4..];

        var found = await QuoteAsync(null, s.SiteCode, s.Unit, ending);
        Assert.NotNull(found.Quote);
        Assert.Equal(s.MeterNumber, found.Quote.MeterNumber);
        Assert.Equal("T. N.", found.Quote.MaskedName[..5]);
        Assert.DoesNotContain("Thandi", found.Quote.MaskedName, StringComparison.Ordinal);
        Assert.NotNull((await QuoteAsync(null, s.SiteCode, s.Unit.ToLowerInvariant(), " " + ending[..2] + " " + ending[2..])).Quote);

        // Without the digits, with wrong ones, with too few, for an empty room or a room that does not exist: one answer.
        using var admin = server.Client();
        await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises", new { label = "EMPTY-9" }, Ct));
        var wrong = ((int.Parse(ending, System.Globalization.CultureInfo.InvariantCulture) + 1) % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (site, unit, digits) in new[] { (s.SiteCode, s.Unit, (string?)null), (s.SiteCode, s.Unit, wrong), (s.SiteCode, s.Unit, ending[1..]),
                     (s.SiteCode, s.Unit, s.MeterNumber), (s.SiteCode, "EMPTY-9", ending), (s.SiteCode, "Z-999", ending) })
        {
            var missed = await QuoteAsync(null, site, unit, digits);
            Assert.Null(missed.Quote);
            Assert.Equal(RechargeLookup.NotFound, missed.Problem);
        }

        // The whole meter number is enough on its own.
        Assert.Equal(s.MeterNumber, (await QuoteAsync(s.MeterNumber, null, null, null)).Quote?.MeterNumber);
    }
}

public sealed class RechargeLookupSqliteTests(SqliteServer server) : RechargeLookupTests(server), IClassFixture<SqliteServer>;

public sealed class RechargeLookupPostgresTests(PostgresServer server) : RechargeLookupTests(server), IClassFixture<PostgresServer>;

/// <summary>Names as someone who has not signed in sees them.</summary>
public sealed class NameMaskTests
{
    [Theory]
    [InlineData("Thandi Nkosi", "T. N.")]
    [InlineData("Peter Otieno (UNIDORM)", "P. O.")]
    [InlineData("  amina   yusuf  ", "A. Y.")]
    [InlineData("Cher", "C.")]
    [InlineData("", "(no customer)")]
    [InlineData(null, "(no customer)")]
    public void A_name_is_shown_as_one_initial_per_name_and_nothing_of_its_length(string? name, string masked) =>
        Assert.Equal(masked, NameMask.Mask(name));

    [Theory]
    [InlineData("04000000123", "0123", true)]
    [InlineData("04000000123", "01 23", true)]
    [InlineData("04000000123", "123", false)]
    [InlineData("04000000123", "00123", false)]
    [InlineData("04000000123", "0124", false)]
    [InlineData("04000000123", "O123", false)]
    [InlineData("04000000123", null, false)]
    public void The_meter_ending_must_be_exactly_its_last_four_digits(string meterNumber, string? ending, bool matches) =>
        Assert.Equal(matches, RechargeLookup.EndingMatches(meterNumber, ending));
}
