using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Prepay.Cli.Bench;

/// <summary>
/// What an operator sets up through the API before the nodes bench runs: a flat tariff, one site with a household per
/// meter, smart meters installed there, and one vendor whose float a second admin approved. Returns the vendor's key.
/// </summary>
internal static class BenchWorld
{
    private const string Tariff = """
        {
          "code": "BENCH-FLAT", "name": "Bench flat", "version": 1, "effectiveFrom": "2024-01-01",
          "timeZone": "Africa/Johannesburg", "currency": "ZAR",
          "energy": { "type": "flat", "rate": "2.00" },
          "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true } ]
        }
        """;

    public static async Task<string> CreateAsync(HttpClient node, string adminKey, IReadOnlyList<string> meters, CancellationToken ct)
    {
        using var admin = Authorised(node.BaseAddress!, adminKey);
        await OkAsync(await admin.PostAsync("/api/v1/tariffs", new StringContent(Tariff, Encoding.UTF8, "application/json"), ct));
        await OkAsync(await admin.PostAsJsonAsync("/api/v1/sites", new { code = "BENCH", name = "Bench Gardens", kind = "residentialCommunity" }, ct));
        for (var i = 0; i < meters.Count; i++)
        {
            var customer = await OkAsync(await admin.PostAsJsonAsync("/api/v1/customers", new { name = $"Household {i}", phone = "+27 82 555 0100" }, ct));
            var unit = $"U-{i:D4}";
            await OkAsync(await admin.PostAsJsonAsync("/api/v1/sites/BENCH/premises", new { label = unit, customerId = customer["id"]!.GetValue<Guid>() }, ct));
            await OkAsync(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = meters[i], mode = "smart", currency = "ZAR", tariffCode = "BENCH-FLAT" }, ct));
            await OkAsync(await admin.PutAsJsonAsync($"/api/v1/meters/{meters[i]}/installation", new { site = "BENCH", unit }, ct));
        }
        await OkAsync(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = "BENCH-SHOP", name = "Bench Shop", channel = "shop", currency = "ZAR", commissionBasisPoints = 250 }, ct));
        var second = await OkAsync(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "second-admin", role = "admin" }, ct));
        var requested = await OkAsync(await admin.PostAsJsonAsync("/api/v1/vendors/BENCH-SHOP/float-deposits", new { amount = "1000000.00", reference = "bench-float" }, ct));
        using (var approver = Authorised(node.BaseAddress!, second["key"]!.GetValue<string>()))
        {
            await OkAsync(await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, ct));
        }
        var key = await OkAsync(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "bench-till", role = "vendor", vendorCode = "BENCH-SHOP" }, ct));
        return key["key"]!.GetValue<string>();
    }

    private static HttpClient Authorised(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
            }
            return string.IsNullOrEmpty(body) ? new JsonObject() : JsonNode.Parse(body)!;
        }
    }
}
