using System.Globalization;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// Creates meters for a fleet through the API, as an operator would: per meter a customer, premises in the
/// <see cref="Site"/> site (which the caller creates once), the meter on a tariff and its installation. Every
/// other meter is a smart meter.
/// </summary>
public static class FleetProvisioning
{
    public const string Site = "SIMFLEET";

    /// <summary>Creates <paramref name="count"/> meters numbered from <paramref name="firstNumber"/>; <paramref name="firstIndex"/> numbers their units.</summary>
    public static async Task<IReadOnlyList<string>> CreateMetersAsync(PrepayApi admin, int count, long firstNumber, int firstIndex, string tokenTariff, string smartTariff, CancellationToken ct)
    {
        var created = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var index = firstIndex + i + 1;
            var number = (firstNumber + i).ToString(CultureInfo.InvariantCulture);
            var unit = $"S-{index:00000}";
            var smart = index % 2 == 0;
            var customer = await admin.SendAsync(HttpMethod.Post, "/api/v1/customers", new { name = $"Simulated customer {index}", phone = "+27 82 555 0000", email = $"sim{index}@example.org" }, ct);
            var customerId = customer!["id"]!.GetValue<Guid>();
            await admin.SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/premises", new { label = unit, customerId }, ct);
            await admin.SendAsync(HttpMethod.Post, "/api/v1/meters", new { meterNumber = number, mode = smart ? "smart" : "token", currency = "ZAR", tariffCode = smart ? smartTariff : tokenTariff }, ct);
            await admin.SendAsync(HttpMethod.Put, $"/api/v1/meters/{number}/installation", new { site = Site, unit }, ct);
            created.Add(number);
        }
        return created;
    }
}
