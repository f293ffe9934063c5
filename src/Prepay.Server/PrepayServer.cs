using Prepay.Catalog;
using Prepay.Reports;
using Prepay.Findings;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Prepay.CentralCredit;
using Prepay.Statements;
using Prepay.Alerts;
using Prepay.Disconnections;
using Prepay.HeadEnd;
using Prepay.HeadEnd.Mqtt;
using Prepay.Payments;
using Prepay.Server.Apis;
using Prepay.Server.Apis.Catalog;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Server.Observability;
using Prepay.Server.Web;
using Prepay.Server.Web.KeyRing;
using Prepay.Storage;
using Prepay.Vending;
using Prepay.Vending.Approvals;
using Prepay.Vending.Tokens;
using Scalar.AspNetCore;

namespace Prepay.Server;

/// <summary>The HTTP server: this file is its table of contents, one line per module.</summary>
public static class PrepayServer
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplication Build(ServerSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings.Args, ContentRootPath = AppContext.BaseDirectory });
        if (settings.ConfigFile is { } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        builder.Configuration.AddEnvironmentVariables("PREPAY_");
        builder.Configuration.AddInMemoryCollection(settings.Overrides);
        if (settings.DataDirectory is { } data)
        {
            builder.Configuration[$"{StorageOptions.Section}:DataDirectory"] = data;
        }
        // Under systemd (Type=notify): readiness and stopping are reported to it, logs go to the journal; elsewhere nothing changes.
        builder.Host.UseSystemd();
        builder.WebHost.UseUrls(settings.Urls ?? builder.Configuration["Urls"] ?? DefaultUrls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 256 * 1024);

#pragma warning disable RS0030 // The composition root is the one place the system clock is chosen.
        builder.Services.AddSingleton(settings.Clock ?? SystemClock.Instance);
#pragma warning restore RS0030

        builder.Services.AddPrepayStorage(builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions());
        builder.Services.AddPrepayVending(builder.Configuration.GetSection(VendingOptions.Section).Get<VendingOptions>() ?? new VendingOptions(),
            builder.Configuration.GetSection(StsOptions.Section).Get<StsOptions>() ?? new StsOptions(),
            builder.Configuration.GetSection(Prepay.Vending.Campaigns.CampaignOptions.Section).Get<Prepay.Vending.Campaigns.CampaignOptions>() ?? new Prepay.Vending.Campaigns.CampaignOptions());
        builder.Services.AddPrepayApprovals(builder.Configuration.GetSection(ApprovalOptions.Section).Get<ApprovalOptions>() ?? new ApprovalOptions());
        builder.Services.AddPrepayHttp(builder.Configuration);
        builder.Services.AddPrepayAuth();
        builder.Services.AddPrepayWeb(builder.Environment, builder.Configuration.GetSection(Web.SessionOptions.Section).Get<Web.SessionOptions>() ?? new Web.SessionOptions());
        builder.Services.AddPrepayObservability(builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions());
        builder.Services.AddPrepayKeyRing(builder.Configuration, builder.Configuration[$"{StorageOptions.Section}:DataDirectory"] ?? "data");
        builder.Services.AddSingleton(Prepay.HeadEnd.Ingest.Quality.VeeConfiguration.From(builder.Configuration));
        builder.Services.AddPrepayHeadEnd(MqttOptions.From(builder.Configuration),
            builder.Configuration[$"{StorageOptions.Section}:DataDirectory"] ?? "data",
            Prepay.HeadEnd.Dlms.DlmsOptions.From(builder.Configuration),
            new Prepay.HeadEnd.Dlms.ConfigurationDlmsKeyProvider(builder.Configuration.GetSection("Dlms:Keys")));
        builder.Services.AddPrepayDisconnections(Prepay.Disconnections.DisconnectionOptions.From(
            builder.Configuration["Disconnections:DefaultPolicy"], builder.Configuration["Disconnections:DefaultPolicyFile"],
            builder.Configuration.GetValue<TimeSpan?>("Disconnections:ReleaseInterval"), builder.Configuration.GetValue<TimeSpan?>("Disconnections:PushInterval"),
            builder.Configuration.GetValue("Disconnections:PushPolicies", false)));
        builder.Services.AddPrepayAlerts(builder.Configuration.GetSection(AlertsOptions.Section).Get<AlertsOptions>() ?? new AlertsOptions());
        builder.Services.AddPrepayCentralCredit(builder.Configuration.GetSection(CentralCreditOptions.Section).Get<CentralCreditOptions>() ?? new CentralCreditOptions());
        builder.Services.AddPrepayStatements(builder.Configuration.GetSection(Prepay.Statements.StatementsOptions.Section).Get<Prepay.Statements.StatementsOptions>() ?? new Prepay.Statements.StatementsOptions());
        builder.Services.AddPrepayFindings(builder.Configuration.GetSection(Prepay.Findings.FindingsOptions.Section).Get<Prepay.Findings.FindingsOptions>() ?? new Prepay.Findings.FindingsOptions());
        builder.Services.AddPrepayReports(builder.Configuration.GetSection("Reports").Get<Prepay.Reports.ReportsOptions>() ?? new Prepay.Reports.ReportsOptions());
        builder.Services.AddPrepayCatalog();
        builder.Services.AddPrepayPayments(builder.Configuration.GetSection(PaymentsOptions.Section).Get<PaymentsOptions>() ?? new PaymentsOptions(), builder.Environment.IsDevelopment());

        var app = builder.Build();
        _ = app.Services.GetRequiredService<ITokenGenerator>(); // says at startup whether tokens are STS or placeholders
        app.UseSecurityHeaders();
        app.UsePrepayHttp();
        app.MapPrepayHealth();
        app.MapPrepayMetrics();
        var api = app.MapGroup("/api/v1");
        api.MapVendsApi();
        api.MapCatalogApis();
        api.MapDisconnectionPoliciesApi();
        api.MapDisconnectionDecisionsApi();
        api.MapMeterDataApi();
        api.MapDataQualityApi();
        api.MapTokensApi();
        api.MapCampaignsApi();
        api.MapAlertsApi();
        api.MapPaymentsApi();
        api.MapApprovalsApi();
        api.MapCentralCreditApi();
        api.MapStatementsApi();
        api.MapFindingsApi();
        api.MapReportsApi();
        api.MapCatalogImportApi();
        app.MapPrepayWeb();
        return app;
    }

    /// <summary>Brings the database up to date and creates the first admin key if asked to; run before serving.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await db.MigrateAsync(ct);
        await Bootstrap.CreateFirstAdminKeyAsync(db, app.Configuration["BOOTSTRAP_API_KEY"] ?? Environment.GetEnvironmentVariable("PREPAY_BOOTSTRAP_API_KEY"),
            app.Services.GetRequiredService<IClock>(), app.Logger, ct);
    }
}
