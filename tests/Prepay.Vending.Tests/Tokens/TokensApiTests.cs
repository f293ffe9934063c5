using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Tokens;

/// <summary>
/// STS tokens end to end: what the server sells is keyed into a simulated meter (Prepay.Sts's <see cref="MeterDecoder"/>)
/// holding the decoder key derived from the test vending key, as a real meter would hold it. Run once per database.
/// </summary>
public abstract class TokensApiTests(ServerFixture server)
{
    // What Scenario's meters are created with (StsParameters.Default): SGC 123457, TI 1, KRN 1, KT 2, EA07, base 2014.
    private const int Sgc = 123457;
    private const int Ti = 1;
    private const int Kt = 2;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DecoderKey DecoderKey(string meterNumber, int krn)
    {
        using var dkga02 = new Dkga02(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex));
        // IEC 62055-41 MeterPAN: Scenario's 13-digit numbers take IIN 0000 (an 11-digit one would take 600727).
        return dkga02.Derive(KeyDerivationInput.Create(Sgc, Ti, krn, Kt, PrimaryAccountNumber.Create(meterNumber.Length == 13 ? "0000" : "600727", meterNumber)));
    }

    /// <summary>The meter on the wall, fresh from the factory with key revision <paramref name="krn"/>.</summary>
    private static MeterDecoder Meter(string meterNumber, int krn = 1, BaseDate baseDate = BaseDate.Y2014) =>
        new(new MeterState
        {
            DecoderKey = DecoderKey(meterNumber, krn),
            Algorithm = EncryptionAlgorithm.Sta,
            BaseDate = baseDate,
            KeyRevisionNumber = krn,
            KeyType = Kt,
            TariffIndex = Ti,
            SupplyGroupCode = Sgc,
        });

    private async Task<JsonNode> VendAsync(Scenario s, string amount = "100.05")
    {
        using var vendor = server.Client(s.VendorKey);
        var response = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount, currency = "ZAR" }), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.Created, response, body.ToJsonString());
        return body;
    }

    private async Task<string> OperatorKeyAsync(Scenario s)
    {
        using var admin = server.Client();
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ops-" + s.Suffix, role = "operator" }, Ct));
        return key["key"]!.GetValue<string>();
    }

    private static string Token(JsonNode vend) => vend["token"]!.GetValue<string>();

    private static long TokenId(JsonNode vend) => vend["tokenId"]!.GetValue<long>();

    [Fact]
    public async Task A_vend_token_decodes_with_the_meters_key_to_its_energy_and_token_id_and_is_accepted_once()
    {
        var s = await CreateAsync(server);
        var vend = await VendAsync(s);
        var meter = Meter(s.MeterNumber);

        var entry = meter.Enter(Token(vend));

        Assert.Equal(KeypadResult.Accept, entry.Result);
        var data = entry.Data!.Value;
        Assert.Equal(TokenClass.CreditTransfer, data.Class);
        Assert.Equal((int)CreditSubclass.Electricity, data.Subclass);
        Assert.Equal(vend["energyWh"]!.GetValue<long>() / 100, data.Amount.Units);
        Assert.Equal(TokenId(vend), (long)data.Tid);
        // The token id is the minute of the sale counted from the meter's base date, 2014-01-01.
        Assert.Equal((long)(server.Clock.GetCurrentInstant() - NodaTime.Instant.FromUtc(2014, 1, 1, 0, 0)).TotalMinutes, TokenId(vend));
        Assert.Equal(KeypadResult.Used, meter.Enter(Token(vend)).Result);
        Assert.Equal(500, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public async Task A_vend_token_is_rejected_by_another_meter()
    {
        var s = await CreateAsync(server);
        var other = await CreateAsync(server);
        var vend = await VendAsync(s);

        Assert.Equal(KeypadResult.Reject, Meter(other.MeterNumber).Enter(Token(vend)).Result);
    }

    [Fact]
    public async Task Two_concurrent_vends_to_one_meter_get_distinct_token_ids_both_accepted_by_the_meter()
    {
        var s = await CreateAsync(server);
        var vends = await Task.WhenAll(VendAsync(s, "20.00"), VendAsync(s, "30.00"));
        var meter = Meter(s.MeterNumber);

        Assert.NotEqual(TokenId(vends[0]), TokenId(vends[1]));
        foreach (var vend in vends)
        {
            var entry = meter.Enter(Token(vend));
            Assert.Equal(KeypadResult.Accept, entry.Result);
            Assert.Equal(TokenId(vend), (long)entry.Data!.Value.Tid);
        }
        Assert.Equal(vends.Sum(v => v["energyWh"]!.GetValue<long>()) / 100, meter.State.CreditRegisters[0]);
    }

    [Fact]
    public async Task A_reprint_returns_the_identical_token()
    {
        var s = await CreateAsync(server);
        var vend = await VendAsync(s);
        using var vendor = server.Client(s.VendorKey);

        var reprint = await Ok(await vendor.GetAsync($"/api/v1/vends/{vend["id"]}", Ct));

        Assert.Equal(Token(vend), Token(reprint));
        Assert.Equal(TokenId(vend), TokenId(reprint));
        Assert.Null(reprint["keyChangeTokens"]);
    }

    /// <summary>A management token request with a fresh Idempotency-Key (or the one given).</summary>
    private Task<HttpResponseMessage> PostTokenAsync(HttpClient client, string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? "token-" + Guid.NewGuid().ToString("N"));
        return client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_retried_management_token_request_gets_the_same_token_and_another_request_with_its_key_is_refused()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var key = "clear-" + s.Suffix;
        var path = $"/api/v1/meters/{s.MeterNumber}/tokens";

        // A lost answer, retried at once by several clients: one token, made once.
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostTokenAsync(admin, path, new { kind = "clearCredit", reason = "Move-out" }, key)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        var bodies = await Task.WhenAll(answers.Select(Json));
        Assert.Single(bodies.Select(Token).Distinct());
        Assert.Single(bodies.Select(TokenId).Distinct());

        var other = await PostTokenAsync(admin, path, new { kind = "clearTamper", reason = "Move-out" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var noKey = await admin.PostAsJsonAsync(path, new { kind = "clearTamper", reason = "Seal replaced" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Contains("Idempotency-Key", await noKey.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Kept: the list shows it once, and so does the audit log.
        var listed = (await Ok(await admin.GetAsync(path, Ct))).AsArray();
        Assert.Equal(Token(bodies[0]), Assert.Single(listed)!["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/meters/99999999999/tokens", Ct)).StatusCode);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Target == $"meter/{s.MeterNumber}" && a.Action == "meter.token", Ct));
    }

    [Fact]
    public async Task Management_tokens_need_an_operator_or_admin_key()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);

        var response = await PostTokenAsync(vendor, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "clearTamper", reason = "seal replaced" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var keyChange = await vendor.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2, reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, keyChange.StatusCode);
    }

    [Fact]
    public async Task A_clear_tamper_token_decodes_to_class_2_subclass_5_and_is_audited_with_its_reason()
    {
        var s = await CreateAsync(server);
        using var ops = server.Client(await OperatorKeyAsync(s));
        var reason = "Tamper after seal replaced, job card " + s.Suffix;

        var response = await PostTokenAsync(ops, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "clearTamper", reason });
        var body = await Json(response);

        Status(HttpStatusCode.Created, response, body.ToJsonString());
        var entry = Meter(s.MeterNumber).Enter(Token(body));
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.Equal(TokenClass.MeterSpecificManagement, entry.Data!.Value.Class);
        Assert.Equal((int)ManagementSubclass.ClearTamperCondition, entry.Data.Value.Subclass);
        Assert.Equal(TokenId(body), (long)entry.Data.Value.Tid);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.Target == $"meter/{s.MeterNumber}" && a.Action == "meter.token", Ct);
        Assert.Contains(reason, audit.Details, StringComparison.Ordinal);
        Assert.StartsWith("operator:", audit.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_maximum_power_limit_token_carries_its_value_and_never_shares_a_token_id_with_a_vend()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var vend = await VendAsync(s);

        var response = await PostTokenAsync(admin, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "setMaximumPowerLimit", value = 4600, reason = "Breaker is 20 A" });
        var body = await Json(response);

        Status(HttpStatusCode.Created, response, body.ToJsonString());
        Assert.NotEqual(TokenId(vend), TokenId(body));
        var meter = Meter(s.MeterNumber);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Token(vend)).Result);
        var entry = meter.Enter(Token(body));
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.Equal((int)ManagementSubclass.SetMaximumPowerLimit, entry.Data!.Value.Subclass);
        Assert.Equal((ushort)4600, meter.State.MaximumPowerLimit);
    }

    [Fact]
    public async Task A_management_token_request_without_a_reason_or_a_needed_value_is_refused()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();

        var noReason = await PostTokenAsync(admin, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "clearCredit" });
        var noValue = await PostTokenAsync(admin, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "setMaximumPowerLimit", reason = "x" });
        var badKind = await PostTokenAsync(admin, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "setDecoderKey1", reason = "x" });
        var noMeter = await PostTokenAsync(admin, "/api/v1/meters/99999999999/tokens", new { kind = "clearCredit", reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMeter.StatusCode);
    }

    [Fact]
    public async Task A_key_change_comes_with_the_next_vend_before_a_credit_token_made_with_the_new_key()
    {
        var s = await CreateAsync(server);
        using var ops = server.Client(await OperatorKeyAsync(s));
        var ordered = await ops.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2, reason = "Annual key rotation" }, Ct);
        Status(HttpStatusCode.Accepted, ordered, await ordered.Content.ReadAsStringAsync(Ct));

        var vend = await VendAsync(s);

        var keyChange = vend["keyChangeTokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal(2, keyChange.Count);
        Assert.Equal(KeypadResult.Reject, Meter(s.MeterNumber).Enter(Token(vend)).Result); // not with the old key
        var meter = Meter(s.MeterNumber);
        Assert.Equal(KeypadResult.Accept, meter.Enter(keyChange[0]).Result);
        Assert.True(meter.Enter(keyChange[1]).KeyChanged);
        Assert.Equal(2, meter.State.KeyRevisionNumber);
        Assert.Equal(DecoderKey(s.MeterNumber, 2), meter.State.DecoderKey);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Token(vend)).Result);

        // Once only: the next vend has no key change, and the reprint has the same one.
        var next = await VendAsync(s, "10.00");
        Assert.Null(next["keyChangeTokens"]);
        Assert.Equal(KeypadResult.Accept, meter.Enter(Token(next)).Result);
        using var vendor = server.Client(s.VendorKey);
        var reprint = await Ok(await vendor.GetAsync($"/api/v1/vends/{vend["id"]}", Ct));
        Assert.Equal(keyChange, reprint["keyChangeTokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var stored = await db.Meters.AsNoTracking().SingleAsync(m => m.MeterNumber == s.MeterNumber, Ct);
        Assert.Equal(2, stored.KeyRevisionNumber);
        Assert.Null(stored.KeyChangeToRevision);
        Assert.Contains(await db.Audit.AsNoTracking().Where(a => a.Target == $"meter/{s.MeterNumber}").Select(a => a.Action).ToListAsync(Ct),
            a => a == "meter.key-change");
    }

    [Fact]
    public async Task A_key_change_goes_out_with_a_management_token_if_that_comes_first()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 3, reason = "Key compromised" }, Ct));

        var body = await Ok(await PostTokenAsync(admin, $"/api/v1/meters/{s.MeterNumber}/tokens", new { kind = "clearCredit", reason = "Move-out" }));

        var meter = Meter(s.MeterNumber);
        foreach (var token in body["keyChangeTokens"]!.AsArray())
        {
            Assert.Equal(KeypadResult.Accept, meter.Enter(token!.GetValue<string>()).Result);
        }
        Assert.Equal(3, meter.State.KeyRevisionNumber);
        var entry = meter.Enter(Token(body));
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.Equal((int)ManagementSubclass.ClearCredit, entry.Data!.Value.Subclass);
        Assert.Equal(0xFFFF, entry.Data.Value.Field);
        Assert.Null((await VendAsync(s))["keyChangeTokens"]);
    }

    [Fact]
    public async Task A_meter_on_base_date_1993_rolls_over_to_2014_with_its_next_vend()
    {
        var s = await CreateAsync(server);
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).ExecuteUpdateAsync(u => u.SetProperty(m => m.BaseDate, StsBaseDate.Y1993), Ct);
        }

        var vend = await VendAsync(s);

        // Minutes since 1993 passed 24 bits in December 2024, so the meter must move to 2014 before any token.
        var meter = Meter(s.MeterNumber, baseDate: BaseDate.Y1993);
        var keyChange = vend["keyChangeTokens"]!.AsArray();
        Assert.Equal(2, keyChange.Count);
        foreach (var token in keyChange)
        {
            Assert.Equal(KeypadResult.Accept, meter.Enter(token!.GetValue<string>()).Result);
        }
        Assert.Equal(BaseDate.Y2014, meter.State.BaseDate);
        var entry = meter.Enter(Token(vend));
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.Equal(TokenId(vend), (long)entry.Data!.Value.Tid);
        Assert.Equal((long)(server.Clock.GetCurrentInstant() - NodaTime.Instant.FromUtc(2014, 1, 1, 0, 0)).TotalMinutes, TokenId(vend));
    }

    [Fact]
    public async Task A_key_change_order_the_meter_already_meets_is_dropped_without_tokens()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2, reason = "Rotation" }, Ct));
        await using (var scope = server.Scope())
        {
            // As if another key change to the same revision had been made in between.
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).ExecuteUpdateAsync(u => u.SetProperty(m => m.KeyRevisionNumber, 2), Ct);
        }

        var vend = await VendAsync(s);

        Assert.Null(vend["keyChangeTokens"]);
        Assert.Equal(KeypadResult.Accept, Meter(s.MeterNumber, krn: 2).Enter(Token(vend)).Result);
        await using var check = server.Scope();
        var stored = await check.ServiceProvider.GetRequiredService<PrepayDb>().Meters.AsNoTracking().SingleAsync(m => m.MeterNumber == s.MeterNumber, Ct);
        Assert.Null(stored.KeyChangeToRevision);
        Assert.Null(stored.KeyChangeToBaseDate);
    }

    [Fact]
    public async Task A_key_change_to_no_change_or_to_a_base_date_not_yet_begun_is_refused()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();

        var same = await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 1, toBaseDate = 2014, reason = "x" }, Ct);
        var future = await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2, toBaseDate = 2035, reason = "x" }, Ct);
        var back = await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2, toBaseDate = 1993, reason = "x" }, Ct);
        var noReason = await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/key-change", new { toKeyRevisionNumber = 2 }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, same.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
    }
}

public sealed class TokensApiSqliteTests(SqliteServer server) : TokensApiTests(server), IClassFixture<SqliteServer>;

public sealed class TokensApiPostgresTests(PostgresServer server) : TokensApiTests(server), IClassFixture<PostgresServer>;
