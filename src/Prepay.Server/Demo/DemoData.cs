using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Domain.Vendors;
using Prepay.Server.Auth;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.People;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Samples;
using Prepay.Vending;
using Prepay.Vending.Floats;
using Prepay.Vending.Postings;

namespace Prepay.Server.Demo;

/// <summary>
/// The demo dataset (documented in README): a residential community (SUNRISE, units A-101…A-110) and a dormitory
/// (UNIDORM, rooms R-101…R-110), a customer per unit, token meters on flat and block tariffs, smart meters on the
/// time-of-use tariff, three vendors with floats (a shop, the app, online payments), two weeks of purchases and
/// readings for the demo customer's meter (SUNRISE A-101, <see cref="DemoHistory"/>), and one API key per role.
/// Seeding is idempotent: an existing demo database is reused as it is, and its keys are read back from
/// <c>demo-keys.json</c> in the data directory.
/// </summary>
public static class DemoData
{
    public sealed record DemoKeys(string Admin, string Operator, string Vendor, string App);

    public const string ShopVendor = "CORNER-SHOP";
    public const string AppVendor = "PREPAY-APP";

    /// <summary>The vendor online payments (the portal, the recharge page) sell from: <c>Payments:VendorCode</c>'s default.</summary>
    public const string WebVendor = "PREPAY-WEB";
    public const string GoodwillVendor = "GOODWILL";

    public static async Task<DemoKeys> SeedAsync(IServiceProvider services, string dataDirectory, CancellationToken ct)
    {
        var keysFile = Path.Combine(dataDirectory, "demo-keys.json");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var clock = scope.ServiceProvider.GetRequiredService<IClock>();
        if (await db.Sites.AnyAsync(s => s.Code == "SUNRISE", ct) && File.Exists(keysFile))
        {
            return JsonSerializer.Deserialize<DemoKeys>(await File.ReadAllTextAsync(keysFile, ct))!;
        }
        var now = clock.GetCurrentInstant();
        Guid NewId() => Guid.CreateVersion7(now.ToDateTimeOffset());
        // The meters were installed and the floats paid in a month ago, so the demo customer's meter can have a history.
        var installed = now - Duration.FromDays(30);

        foreach (var name in TariffSamples.Names)
        {
            var doc = TariffSamples.Load(name);
            if (!await db.Tariffs.AnyAsync(t => t.Code == doc.Code && t.Version == doc.Version, ct))
            {
                db.Tariffs.Add(new TariffVersion { Id = NewId(), Code = doc.Code, Version = doc.Version, EffectiveFrom = doc.EffectiveFrom, Currency = doc.Currency.Code, Document = TariffDocumentJson.Serialize(doc), CreatedAt = now });
            }
        }

        var sites = new[]
        {
            (Code: "SUNRISE", Name: "Sunrise Gardens residential community", Kind: SiteKind.ResidentialCommunity, Prefix: "A-", Tariff: "RES-IBT", Mode: MeterMode.Token),
            (Code: "UNIDORM", Name: "University dormitory block R", Kind: SiteKind.Dormitory, Prefix: "R-", Tariff: "RES-FLAT", Mode: MeterMode.Token),
            (Code: "TECHPARK", Name: "Riverside industrial park", Kind: SiteKind.IndustrialPark, Prefix: "U-", Tariff: "COM-TOU", Mode: MeterMode.Smart),
        };
        string[] names = ["Thandi Nkosi", "Sipho Dlamini", "Amina Yusuf", "Grace Mensah", "Peter Otieno", "Lerato Molefe", "Joseph Banda", "Fatima Bello", "David Phiri", "Nomsa Zulu"];
        var meterNo = 10_000_000_001L;
        foreach (var site in sites)
        {
            var siteId = NewId();
            db.Sites.Add(new Site { Id = siteId, Code = site.Code, Name = site.Name, Kind = site.Kind, CreatedAt = now });
            var units = site.Mode == MeterMode.Smart ? 4 : 10;
            for (var i = 1; i <= units; i++)
            {
                var customer = new Customer
                {
                    Id = NewId(), Name = names[(i - 1) % names.Length] + (site.Code == "SUNRISE" ? "" : $" ({site.Code})"),
                    Phone = $"+27 82 555 {meterNo % 10_000:0000}", Email = $"customer{meterNo % 10_000}@example.org",
                    Indigent = site.Code == "SUNRISE" && i <= 3, Protected = i == 4, CreatedAt = now,
                };
                db.Customers.Add(customer);
                var premises = new Premises { Id = NewId(), SiteId = siteId, Label = $"{site.Prefix}{100 + i}", CreatedAt = now };
                premises.AssignCustomer(customer.Id, installed);
                db.Premises.Add(premises);
                var meter = new Meter
                {
                    Id = NewId(), MeterNumber = (meterNo++).ToString(System.Globalization.CultureInfo.InvariantCulture), Mode = site.Mode, Currency = "ZAR",
                    ResolutionWh = site.Mode == MeterMode.Token ? 100 : 1,
                    SupplyGroupCode = StsParameters.Default.SupplyGroupCode, KeyRevisionNumber = 1, TariffIndex = 1, KeyType = 2,
                    EncryptionAlgorithm = StsEncryptionAlgorithm.Sta, BaseDate = StsBaseDate.Y2014, CreatedAt = now,
                };
                db.Meters.Add(meter);
                db.MeterInstallations.Add(new MeterInstallation { Id = NewId(), MeterId = meter.Id, PremisesId = premises.Id, InstalledAt = installed });
                db.TariffAssignments.Add(new TariffAssignment { Id = NewId(), MeterId = meter.Id, TariffCode = site.Tariff, EffectiveFrom = installed });
            }
        }
        var shop = new Vendor { Id = NewId(), Code = ShopVendor, Name = "Corner Shop, Sunrise Gardens", Channel = VendorChannel.Shop, Currency = "ZAR", CommissionBasisPoints = 250, CreatedAt = now };
        var app = new Vendor { Id = NewId(), Code = AppVendor, Name = "Prepay mobile app", Channel = VendorChannel.App, Currency = "ZAR", CommissionBasisPoints = 0, CreatedAt = now };
        var web = new Vendor { Id = NewId(), Code = WebVendor, Name = "Prepay online payments", Channel = VendorChannel.Web, Currency = "ZAR", CommissionBasisPoints = 0, CreatedAt = now };
        // The goodwill float pays for credit staff give (two people, a monthly budget), never a reseller's float.
        var goodwill = new Vendor { Id = NewId(), Code = GoodwillVendor, Name = "Goodwill credit", Channel = VendorChannel.Web, Currency = "ZAR", CommissionBasisPoints = 0, CreatedAt = now };
        db.Vendors.AddRange(shop, app, web, goodwill);

        var keys = new DemoKeys(ApiKeys.NewKey(), ApiKeys.NewKey(), ApiKeys.NewKey(), ApiKeys.NewKey());
        void Key(string key, string name, Role role, Guid? vendor) => db.ApiKeys.Add(new ApiKeyRecord
        {
            Id = NewId(), Name = name, Role = role.ToString(), Prefix = ApiKeys.DisplayPrefix(key), Hash = ApiKeys.Hash(key), VendorId = vendor, CreatedAt = now,
        });
        Key(keys.Admin, "demo-admin", Role.Admin, null);
        Key(keys.Operator, "demo-operator", Role.Operator, null);
        Key(keys.Vendor, "demo-corner-shop", Role.Vendor, shop.Id);
        Key(keys.App, "demo-app", Role.App, app.Id);
        await db.SaveChangesAsync(ct);

        var floats = ActivatorUtilities.CreateInstance<FloatService>(scope.ServiceProvider, DemoHistory.ClockAt(installed),
            ActivatorUtilities.CreateInstance<IdempotentPosting>(scope.ServiceProvider, DemoHistory.ClockAt(installed)));
        await floats.SystemDepositAsync(shop.Id, "demo-seed-float", "50000.00", "demo opening float", "demo-seed", ct);
        await floats.SystemDepositAsync(app.Id, "demo-seed-float", "1000000.00", "demo opening float", "demo-seed", ct);
        await floats.SystemDepositAsync(web.Id, "demo-seed-float", "1000000.00", "demo opening float", "demo-seed", ct);
        await floats.SystemDepositAsync(goodwill.Id, "demo-seed-float", "5000.00", "demo goodwill float", "demo-seed", ct);

        var home = await (from p in db.Premises
                          join s in db.Sites on p.SiteId equals s.Id
                          join i in db.MeterInstallations on p.Id equals i.PremisesId
                          join m in db.Meters on i.MeterId equals m.Id
                          where s.Code == "SUNRISE" && p.Label == "A-101"
                          select new { m.Id, m.MeterNumber }).SingleAsync(ct);
        var zone = TariffSamples.Names.Select(TariffSamples.Load).First(t => t.Code == sites[0].Tariff).TimeZone;
        await DemoHistory.SeedAsync(scope.ServiceProvider, db, home.Id, home.MeterNumber, web.Id, zone, now, ct);

        await SecretFile.WriteAsync(keysFile, JsonSerializer.Serialize(keys), ct);
        return keys;
    }

    /// <summary>A demo person; operators and administrators also have the authenticator key their sign-in asks a code of.</summary>
    public sealed record DemoLogin(string UserName, string Password, string? AuthenticatorKey = null);

    public sealed record DemoLogins(DemoLogin Admin, DemoLogin Operator, DemoLogin Clerk, DemoLogin Customer);

    /// <summary>
    /// One person per role for the web pages: an admin, an operator, a clerk of <see cref="ShopVendor"/> and the
    /// customer of SUNRISE A-101, with random passwords kept in <c>demo-logins.json</c> (mode 600) beside the keys.
    /// The admin, the operator and the clerk are enrolled with an authenticator key of their own (printed with the
    /// passwords), since the console and the point of sale ask them for a code.
    /// </summary>
    public static async Task<DemoLogins> SeedLoginsAsync(IServiceProvider services, string dataDirectory, CancellationToken ct)
    {
        var file = Path.Combine(dataDirectory, "demo-logins.json");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
        if (File.Exists(file) && await db.Users.AnyAsync(u => u.UserName == "clerk", ct))
        {
            return JsonSerializer.Deserialize<DemoLogins>(await File.ReadAllTextAsync(file, ct))!;
        }
        await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        var shopId = await db.Vendors.Where(v => v.Code == ShopVendor).Select(v => v.Id).SingleAsync(ct);
        var customerId = await (from p in db.Premises join s in db.Sites on p.SiteId equals s.Id where s.Code == "SUNRISE" && p.Label == "A-101" select p.CustomerId).SingleAsync(ct);
        var logins = new DemoLogins(new("admin", PeopleAccounts.NewPassword()), new("operator", PeopleAccounts.NewPassword()),
            new("clerk", PeopleAccounts.NewPassword()), new("customer", PeopleAccounts.NewPassword()));
        var admin = await PeopleAccounts.EnsureAsync(users, logins.Admin.UserName, logins.Admin.Password, PeopleRoles.Admin);
        var @operator = await PeopleAccounts.EnsureAsync(users, logins.Operator.UserName, logins.Operator.Password, PeopleRoles.Operator);
        logins = logins with
        {
            Admin = logins.Admin with { AuthenticatorKey = await Web.Account.Authenticators.EnrolAsync(users, admin) },
            Operator = logins.Operator with { AuthenticatorKey = await Web.Account.Authenticators.EnrolAsync(users, @operator) },
        };
        var clerk = await PeopleAccounts.EnsureAsync(users, logins.Clerk.UserName, logins.Clerk.Password, PeopleRoles.VendorClerk, vendorId: shopId);
        logins = logins with { Clerk = logins.Clerk with { AuthenticatorKey = await Web.Account.Authenticators.EnrolAsync(users, clerk) } };
        await PeopleAccounts.EnsureAsync(users, logins.Customer.UserName, logins.Customer.Password, PeopleRoles.Customer, customerId: customerId);
        await SecretFile.WriteAsync(file, JsonSerializer.Serialize(logins), ct);
        return logins;
    }
}
