using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Prepay.Server.Web.Operations;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web;

/// <summary>
/// The browser side: people sign in with ASP.NET Core Identity (a cookie), pages are Razor Pages rendered on the
/// server from <c>Web/Pages</c>, with plain forms (antiforgery on every post) and local CSS only. The API keeps its
/// own scheme (API keys): a cookie never authenticates an API call, and a key never opens a page.
/// </summary>
public static class WebSetup
{
    public static IServiceCollection AddPrepayWeb(this IServiceCollection services, IWebHostEnvironment environment, SessionOptions? sessions = null)
    {
        sessions ??= new SessionOptions();
        if (sessions.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddIdentityCore<PersonAccount>(o =>
            {
                // NIST SP 800-63B §5.1.1.2: length and a check against known-bad passwords, no composition rules.
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = PasswordRules.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = PasswordRules.LockoutDuration;
                o.User.RequireUniqueEmail = false;
                // The schema the migrations were made with (no passkey table yet).
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version1;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<PrepayDb>()
            .AddSignInManager()
            .AddPasswordValidator<CommonPasswordValidator>();

        services.AddAuthentication().AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(o =>
        {
            o.Cookie.Name = CookieNames.Session(environment);
            o.Cookie.Path = "/";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure always, except in Development, where the demo and the browser tests use http on loopback.
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            sessions.Apply(o);
        }));
        // A session signed out (or whose person is locked or changed) stops working at its next request anywhere: the
        // cookie's security stamp is checked against the database on every page request (one indexed read).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicies.Clerk, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(PeopleRoles.VendorClerk)
                .RequireClaim(PeopleClaims.VendorId).AddRequirements(new Account.TwoFactorEnrolled()))
            .AddPolicy(PagePolicies.Person, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = CookieNames.Antiforgery(environment);
            o.Cookie.Path = "/";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Web/Pages";
                o.Conventions.ConfigureFilter(new PostWithoutHandler());
            })
            .AddApplicationPart(typeof(WebSetup).Assembly);
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<PasswordChange>();
        services.AddScoped<StaffAccounts>();
        services.AddSingleton<Recharge.RechargeQuotes>();
        Portal.PortalSetup.AddCustomerPages(services);
        services.AddPrepayConsole();
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>The security headers, first of all middleware (see <see cref="SecurityHeaders"/>).</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        return app;
    }

    public static WebApplication MapPrepayWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseMiddleware<PageAuthentication>();
        app.MapRazorPages();
        WebAssets.Map(app);
        return app;
    }
}

/// <summary>
/// The cookies' names. Outside Development they carry the <c>__Host-</c> prefix (RFC 6265bis §4.1.3.2): browsers
/// then accept them only when Secure, from an https origin, with Path=/ and no Domain, so neither a sibling subdomain
/// nor a plain-http page can plant or overwrite a session or antiforgery cookie. In Development (plain http on
/// loopback, where browsers refuse such cookies) the names go without it.
/// </summary>
public static class CookieNames
{
    public static string Session(IHostEnvironment environment) => Prefix(environment) + "prepay.session";

    public static string Antiforgery(IHostEnvironment environment) => Prefix(environment) + "prepay.antiforgery";

    private static string Prefix(IHostEnvironment environment) => environment.IsDevelopment() ? "" : "__Host-";
}

/// <summary>The policies pages name; each checks the sign-in cookie, never an API key.</summary>
public static class PagePolicies
{
    public const string Clerk = "page-clerk";
    public const string Person = "page-person";
}
