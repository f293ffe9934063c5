using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Channels;

/// <summary>
/// Email through the configured SMTP server (MailKit), one session per message. The Message-ID is the
/// notification's id, so a resend is recognisably the same message. A file queued with it is attached.
/// </summary>
public sealed class SmtpChannel(AlertsOptions options) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<SendResult> SendAsync(NotificationRecord n, PrepayDb db, CancellationToken ct)
    {
        var smtp = options.Smtp;
        if (!smtp.Configured)
        {
            return SendResult.Failed("email is not configured (Alerts:Smtp:Host)", permanent: true);
        }
        if (!MailboxAddress.TryParse(n.Recipient, out var to))
        {
            return SendResult.Failed("not an email address", permanent: true);
        }
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(to);
        message.Subject = n.Subject ?? "";
        message.MessageId = $"{n.Id:N}@prepay";
        message.Headers.Add("Prepay-Delivery-Id", n.Id.ToString());
        message.Headers.Add("Prepay-Kind", n.Kind);
        // A file goes with the message when one was queued with it (a scheduled report's CSV).
        var file = await db.NotificationAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.NotificationId == n.Id, ct);
        message.Body = file is null ? new TextPart("plain") { Text = n.Body } : WithFile(n.Body, file);
        using var client = new SmtpClient { Timeout = (int)options.SendTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), ct);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            }
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return SendResult.Ok;
        }
        catch (SmtpCommandException e)
        {
            // 5xx for the recipient is final (no such mailbox); anything else may pass later.
            var permanent = (int)e.StatusCode >= 500 && e.ErrorCode == SmtpErrorCode.RecipientNotAccepted;
            return SendResult.Failed($"SMTP {(int)e.StatusCode}: {e.Message}", permanent);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or TimeoutException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendResult.Failed($"SMTP: {e.GetType().Name}: {e.Message}");
        }
    }

    private static MimeEntity WithFile(string text, Prepay.Storage.Records.Alerts.NotificationAttachment file)
    {
        var body = new BodyBuilder { TextBody = text };
        body.Attachments.Add(file.FileName, System.Text.Encoding.UTF8.GetBytes(file.Content), ContentType.Parse(file.ContentType));
        return body.ToMessageBody();
    }
}
