using System.Net.Http.Json;
using System.Text;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// What an operator sets up through the API before the fleet runs: a tariff, one site with a household per meter
/// (each customer with an email address, so their messages go out by SMTP), smart meters installed there, and one
/// vendor whose float a second admin approved.
/// </summary>
public sealed record ClusterWorld(IReadOnlyList<string> Meters, string VendorKey)
{
    public static async Task<ClusterWorld> CreateAsync(HttpClient admin, int meters)
    {
        var ct = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tariff = "CT" + suffix;
        await Ok(await admin.PostAsync("/api/v1/tariffs", new StringContent(FlatTariff(tariff), Encoding.UTF8, "application/json"), ct));
        var site = "CS" + suffix;
        await Ok(await admin.PostAsJsonAsync("/api/v1/sites", new { code = site, name = "Cluster Gardens " + suffix, kind = "residentialCommunity" }, ct));
        var numbers = new List<string>();
        for (var i = 0; i < meters; i++)
        {
            var customer = await Ok(await admin.PostAsJsonAsync("/api/v1/customers",
                new { name = $"Household {i} {suffix}", phone = "+27 82 555 0100", email = $"household-{i}-{suffix}@example.org" }, ct));
            var unit = $"U-{i:D3}";
            await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = unit, customerId = customer["id"]!.GetValue<Guid>() }, ct));
            var meter = "0500" + Random.Shared.Next(10_000_000).ToString("D7") + i.ToString("D2");
            await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = meter, mode = "smart", currency = "ZAR", tariffCode = tariff }, ct));
            await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{meter}/installation", new { site, unit }, ct));
            numbers.Add(meter);
        }
        var vendor = "CV" + suffix;
        await Ok(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = vendor, name = "Cluster Shop " + suffix, channel = "shop", currency = "ZAR", commissionBasisPoints = 250 }, ct));
        var second = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "second-admin", role = "admin" }, ct));
        var requested = await Ok(await admin.PostAsJsonAsync($"/api/v1/vendors/{vendor}/float-deposits", new { amount = "500000.00", reference = "bank-" + suffix }, ct));
        using (var approver = new HttpClient { BaseAddress = admin.BaseAddress })
        {
            approver.DefaultRequestHeaders.Authorization = new("Bearer", second["key"]!.GetValue<string>());
            await Ok(await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, ct));
        }
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "till-" + suffix, role = "vendor", vendorCode = vendor }, ct));
        return new ClusterWorld(numbers, key["key"]!.GetValue<string>());
    }
}
