using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Prepay.Testing;

/// <summary>
/// Builds a small world through the public API, as an operator would: a flat ZAR tariff, a site with a unit and
/// a customer in it, a token meter installed there, and a vendor with a float and its own API key.
/// Every name is unique per scenario, so scenarios share a server without seeing each other.
/// </summary>
public sealed class Scenario
{
    private static int _counter;

    public required string Suffix { get; init; }
    public required string SiteCode { get; init; }
    public required string Unit { get; init; }
    public required string MeterNumber { get; init; }
    public required string VendorCode { get; init; }
    public required string VendorKey { get; init; }
    public required Guid CustomerId { get; init; }
    public required string TariffCode { get; init; }

    /// <summary>A flat tariff, 2.00 per kWh with 15 % VAT inclusive: 100.00 buys 43.4 kWh and change.</summary>
    public static string FlatTariff(string code) => $$"""
        {
          "code": "{{code}}", "name": "Test flat", "version": 1, "effectiveFrom": "2026-01-01",
          "timeZone": "Africa/Johannesburg", "currency": "ZAR",
          "energy": { "type": "flat", "rate": "2.00" },
          "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true } ]
        }
        """;

    /// <summary>Flat 2.00/kWh with VAT inclusive, recovering debt at 25 % of each purchase, at most 30.00 a month.</summary>
    public static string DebtTariff(string code) => FlatTariff(code).Replace(
        "\"taxes\"", "\"debtRecovery\": { \"percent\": \"25\", \"monthlyCap\": \"30.00\" },\n  \"taxes\"", StringComparison.Ordinal);

    public static async Task<Scenario> CreateAsync(ServerFixture server, string floatAmount = "10000.00", string mode = "token", int commissionBasisPoints = 250,
        Func<string, string>? tariff = null, bool stsDecoder = false)
    {
        server.SkipUnlessAvailable();
        var n = Interlocked.Increment(ref _counter);
        var suffix = $"{n}{Guid.NewGuid().ToString("N")[..6]}";
        using var admin = server.Client();
        var tariffCode = "T" + suffix;
        await Ok(await admin.PostAsync("/api/v1/tariffs", new StringContent((tariff ?? FlatTariff)(tariffCode), Encoding.UTF8, "application/json")));
        var customer = await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "Thandi Nkosi " + suffix, phone = "+27 82 555 0100", email = "thandi@example.org" }));
        var customerId = customer["id"]!.GetValue<Guid>();
        var site = "S" + suffix;
        await Ok(await admin.PostAsJsonAsync("/api/v1/sites", new { code = site, name = "Sunrise Gardens " + suffix, kind = "residentialCommunity" }));
        await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = "B-204", customerId }));
        // 13 digits: an STS decoder reference number, the IAIN its decoder key is derived from.
        var meter = "0400" + n.ToString("D7") + Random.Shared.Next(100).ToString("D2");
        await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = meter, mode, currency = "ZAR", tariffCode, sts = stsDecoder ? new { } : null }));
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{meter}/installation", new { site, unit = "B-204" }));
        var vendor = "V" + suffix;
        await Ok(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = vendor, name = "Corner Shop " + suffix, channel = "shop", currency = "ZAR", commissionBasisPoints }));
        // A float above the default deposit cap (Vending:Approvals:DepositCap, 1,000,000.00) arrives as several deposits.
        var remaining = decimal.Parse(floatAmount, System.Globalization.CultureInfo.InvariantCulture);
        for (var part = 1; remaining > 0; part++)
        {
            var amount = Math.Min(remaining, 1_000_000m);
            await DepositAsync(server, vendor, amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), $"bank-{suffix}-{part}");
            remaining -= amount;
        }
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "till-" + suffix, role = "vendor", vendorCode = vendor }));
        return new Scenario
        {
            Suffix = suffix,
            SiteCode = site,
            Unit = "B-204",
            MeterNumber = meter,
            VendorCode = vendor,
            VendorKey = key["key"]!.GetValue<string>(),
            CustomerId = customerId,
            TariffCode = tariffCode,
        };
    }

    /// <summary>Money into a vendor's float as staff do it: the fixture's admin asks, a second admin approves.</summary>
    public static async Task<JsonNode> DepositAsync(ServerFixture server, string vendorCode, string amount, string reference)
    {
        using var admin = server.Client();
        var requested = await Ok(await admin.PostAsJsonAsync($"/api/v1/vendors/{vendorCode}/float-deposits", new { amount, reference }));
        return await ApproveAsync(server, requested);
    }

    /// <summary>A second admin approves a request (the body of a 202), and the approved request comes back.</summary>
    public static async Task<JsonNode> ApproveAsync(ServerFixture server, JsonNode requested)
    {
        using var approver = server.Client(await server.ApproverKeyAsync());
        return await Ok(await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null));
    }

    /// <summary>
    /// An admin switches the meter to central credit from <paramref name="from"/>, and the meter hands over
    /// <paramref name="creditWh"/> at <paramref name="handoverAt"/> (its <c>creditHandedOver</c> event, as a meter sends it
    /// at a boundary of its reading interval); the handover defaults to the switch's instant.
    /// </summary>
    public static async Task SwitchToCentralAsync(ServerFixture server, string meterNumber, Instant from, long creditWh, Instant? handoverAt = null,
        long emergencyOwedWh = 0)
    {
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{meterNumber}/credit-model",
            new { model = "central", effectiveFrom = InstantPattern.ExtendedIso.Format(from), reason = "central credit" }));
        await HandOverAsync(server, meterNumber, handoverAt ?? from, creditWh, emergencyOwedWh);
    }

    /// <summary>
    /// The meter reports handing its register over (<c>creditHandedOver</c>) through the head-end's ingestion, sent at
    /// <paramref name="at"/>: the server's clock is there while it arrives (the head-end refuses events from its future).
    /// </summary>
    public static async Task HandOverAsync(ServerFixture server, string meterNumber, Instant at, long creditWh, long emergencyOwedWh = 0)
    {
        var handler = server.Services.GetRequiredService<Prepay.HeadEnd.Ingest.MeterMessageHandler>();
        var details = $$"""{"creditWh":{{creditWh}},"emergencyOwedWh":{{emergencyOwedWh}}}""";
        var before = server.Clock.GetCurrentInstant();
        server.Clock.Reset(Instant.Max(before, at));
        try
        {
            await handler.IngestAsync(meterNumber, new Prepay.MeterLink.Uplinks.MeterEvents([new Prepay.MeterLink.Uplinks.MeterEvent(at, "creditHandedOver", details)]),
                TestContext.Current.CancellationToken);
        }
        finally
        {
            server.Clock.Reset(before);
        }
    }

    public static async Task<JsonNode> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
        return string.IsNullOrEmpty(body) ? new JsonObject() : JsonNode.Parse(body)!;
    }

    public static HttpRequestMessage Vend(object body, string? key = null) =>
        Vend(JsonSerializer.Serialize(body), key ?? Guid.NewGuid().ToString());

    public static HttpRequestMessage Vend(string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vends") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return request;
    }

    public static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static void Status(HttpStatusCode expected, HttpResponseMessage response, string body) =>
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
}
