using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Prepay.Tariffs.Samples;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>
/// Vends of any size, on every sample tariff, from the smallest sale (0.01) to <c>Vending:MaxAmountMinor</c> (100 000.00 by
/// default): never refused for size, the tokens carry exactly the energy priced (never more), what money is left
/// stays on the customer's credit, and the ledger verifies. The tokens are typed into the meter, which takes each.
/// </summary>
public abstract class VendSizeTests(ServerFixture server)
{
    // Scenario's meters: SGC 123457, TI 1, KRN 1, KT 2, EA07, base date 2014.
    private const long MaxAmountMinor = 10_000_000;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Samples => [.. TariffSamples.Names];

    private static Func<string, string> Sample(string name) => code =>
    {
        var doc = JsonNode.Parse(TariffSamples.Json(name))!;
        doc["code"] = code;
        return doc.ToJsonString();
    };

    private static MeterDecoder MeterOnTheWall(string meterNumber)
    {
        // IEC 62055-41 MeterPAN: a 13-digit decoder reference number takes IIN 0000.
        using var dkga02 = new Dkga02(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex));
        var key = dkga02.Derive(KeyDerivationInput.Create(123457, 1, 1, 2, PrimaryAccountNumber.Create("0000", meterNumber)));
        return new MeterDecoder(new MeterState
        {
            DecoderKey = key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y2014,
            KeyRevisionNumber = 1, KeyType = 2, TariffIndex = 1, SupplyGroupCode = 123457,
        });
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Vends_of_any_size_put_exactly_the_energy_bought_on_tokens_the_meter_takes(string sample)
    {
        var s = await CreateAsync(server, floatAmount: "5000000.00", tariff: Sample(sample));
        using var vendor = server.Client(s.VendorKey);
        var meter = MeterOnTheWall(s.MeterNumber);
        var creditAccount = AccountCode.CustomerCredit(s.CustomerId, "ZAR").Value;
        long largestSale = 0;

        async Task VendAndCheckAsync(long minor)
        {
            var amount = (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            var response = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount, currency = "ZAR" }), Ct);
            var body = await Json(response);
            Status(HttpStatusCode.Created, response, $"{sample} {amount}: {body.ToJsonString()}");

            long energyWh = body["energyWh"]!.GetValue<long>();
            var b = body["breakdown"]!;
            // The energy on the tokens is the energy the money was spent on, line by line: never more.
            Assert.Equal(energyWh, b["lines"]!.AsArray().Sum(l => l!["energyWh"]!.GetValue<long>()));
            var tokens = body["tokens"]!.AsArray();
            Assert.Equal(body["token"]!.GetValue<string>(), tokens[0]!["token"]!.GetValue<string>());
            long onTokens = 0;
            foreach (var t in tokens)
            {
                var entry = meter.Enter(t!["token"]!.GetValue<string>());
                Assert.True(entry.Result == KeypadResult.Accept, $"{sample} {amount}: token refused ({entry.Result})");
                long wh = entry.Data!.Value.Amount.Units * 100;
                Assert.Equal(t["energyWh"]!.GetValue<long>(), wh);
                onTokens += wh;
            }
            Assert.Equal(energyWh, onTokens);
            Assert.True(tokens.Count <= 2, $"{sample} {amount}: {tokens.Count} tokens");

            // What is left of the money waits on the customer's credit for the next purchase.
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var credit = await db.Accounts.Where(a => a.Code == creditAccount).Select(a => a.Balance).SingleAsync(Ct);
            Assert.Equal(Minor(b["carriedOut"]), credit);
            largestSale = Math.Max(largestSale, energyWh);
        }

        // The largest sale allowed, the smallest, then amounts spread evenly in magnitude from 0.01 to the largest
        // (the smallest buy nothing or 0.1 kWh, the largest tens of MWh).
        await VendAndCheckAsync(MaxAmountMinor);
        await VendAndCheckAsync(1);
        long[] decades = [1, 100, 1_000, 10_000, 100_000, 1_000_000, MaxAmountMinor];
        await Gen.Int[1, decades.Length - 1].SelectMany(d => Gen.Long[decades[d - 1], decades[d]])
            .SampleAsync(VendAndCheckAsync, iter: 14, threads: 1, seed: null);

        Assert.True(largestSale > 1_638_300, $"{sample}: the largest sale, {largestSale} Wh, needs no second token: the test proves nothing");
        await using var check = server.Scope();
        var verifyDb = check.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Empty(await LedgerStore.VerifyAsync(verifyDb, Ct));
        Assert.Equal(0, await verifyDb.Accounts.SumAsync(a => a.Balance, Ct));
    }

    private static long Minor(JsonNode? node) => (long)(decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture) * 100);
}

public sealed class VendSizeSqliteTests(SqliteServer server) : VendSizeTests(server), IClassFixture<SqliteServer>;

public sealed class VendSizePostgresTests(PostgresServer server) : VendSizeTests(server), IClassFixture<PostgresServer>;
