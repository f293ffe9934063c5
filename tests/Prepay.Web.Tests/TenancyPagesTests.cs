using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Domain.Parties;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// A dormitory room changes tenants: the demo customer's room (SUNRISE A-101, meter 10000000001, two weeks of usage
/// and purchases) is given to a new customer through the API, and the new tenant's portal shows the meter with no
/// usage, purchases or tokens from before they moved in; the earlier tenant's receipts are not found.
/// </summary>
public sealed class TenancyPagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    private const string Meter = "10000000001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_tenant_of_a_room_sees_none_of_the_previous_tenants_usage_purchases_or_tokens()
    {
        var page = await web.NewPageAsync();
        var (user, password) = ("tenant-" + Guid.NewGuid().ToString("N")[..8], PeopleAccounts.NewPassword());
        Guid earlierVend;
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            earlierVend = await db.Vends.Where(v => v.MeterNumber == Meter).OrderByDescending(v => v.At).Select(v => v.Id).FirstAsync(Ct);
            var customer = new Customer { Id = Guid.CreateVersion7(), Name = "Ayanda Mthembu", CreatedAt = web.Clock.GetCurrentInstant() };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(Ct);
            await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), user, password, PeopleRoles.Customer, customerId: customer.Id);

            // The site office moves the new tenant in, the way it always has: through the API.
            using var api = new HttpClient { BaseAddress = web.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", web.Keys.Admin);
            var moved = await api.PutAsJsonAsync("/api/v1/sites/SUNRISE/premises/A-101", new { customerId = customer.Id }, Ct);
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync(Ct));
        }

        page = await CustomerPages.SignInAsync(web, user, password, "tenancy-new-tenant");
        await page.GotoAsync($"/portal/meters/{Meter}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Meter {Meter}" })).ToBeVisibleAsync();
        await Expect(page.Locator("#usage-empty")).ToBeVisibleAsync();
        await Expect(page.Locator("#tokens")).ToContainTextAsync("No purchases yet.");
        await Expect(page.Locator("#tokens tbody tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#payments")).ToHaveCountAsync(0);
        await CustomerPages.ScreenshotAsync(page, "tenancy-new-tenant-meter");

        var receipt = await page.GotoAsync($"/portal/meters/{Meter}/tokens/{earlierVend}");
        Assert.Equal(404, receipt!.Status);

        // The earlier tenant signs in to find the room is no longer theirs.
        var earlier = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "tenancy-earlier-tenant");
        Assert.Equal(404, (await earlier.GotoAsync($"/portal/meters/{Meter}"))!.Status);
    }
}
