using Microsoft.Extensions.DependencyInjection;
using Prepay.Alerts.Channels;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Producers;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts;

public static class AlertsRegistration
{
    /// <summary>
    /// Customer alerts: the meter-event producer (subscribed to the head-end's stored events), the channels (SMTP,
    /// SMS and push gateways, webhooks) and the outbox dispatcher (unless <see cref="AlertsOptions.Dispatch"/> is off).
    /// Top-up receipts are queued by vending itself (<see cref="TopUpReceipts"/>).
    /// </summary>
    public static IServiceCollection AddPrepayAlerts(this IServiceCollection services, AlertsOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddHttpClient(GatewayChannel.HttpClientName, c => c.Timeout = options.SendTimeout);
        // Webhooks go where staff point them: never into this server's network, never on through a redirect.
        services.AddHttpClient(WebhookChannel.HttpClientName, c => c.Timeout = options.SendTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = (context, ct) => WebhookTargets.ConnectAsync(context, options.Webhooks, ct),
            });
        services.AddSingleton<INotificationChannel, SmtpChannel>();
        services.AddSingleton<INotificationChannel>(sp => new GatewayChannel(NotificationChannel.Sms, options.Sms, sp.GetRequiredService<IHttpClientFactory>()));
        services.AddSingleton<INotificationChannel>(sp => new GatewayChannel(NotificationChannel.Push, options.Push, sp.GetRequiredService<IHttpClientFactory>()));
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<MeterEventAlerts>();
        services.AddHostedService(sp => sp.GetRequiredService<MeterEventAlerts>());
        services.AddSingleton<TopUpShareAlerts>();
        services.AddSingleton<LowCreditWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<LowCreditWatch>());
        if (options.Dispatch)
        {
            services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        }
        return services;
    }
}
