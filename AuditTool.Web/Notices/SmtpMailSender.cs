using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using AuditTool.Domain.Notices;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace AuditTool.Web.Notices;

/// <summary>Hands outbox messages to the configured SMTP server with MailKit (plain text and HTML alternatives).</summary>
public sealed class SmtpMailSender(SmtpSettings settings) : IMailSender
{
    /// <summary>How long one SMTP command may take before the try counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public bool IsConfigured => settings.Host is not null;

    public string Description => settings.Host is null
        ? "No SMTP host is set (AuditTool:Smtp:Host): nothing is written to the outbox or sent."
        : $"{settings.Host} port {settings.Port.ToString(CultureInfo.InvariantCulture)}, " +
          $"{settings.Security switch { SmtpSettings.None => "no encryption", SmtpSettings.Tls => "TLS", _ => "STARTTLS" }}, " +
          $"{(settings.UserName is null ? "without signing in" : $"signing in as {settings.UserName}")}, from {settings.From}";

    public async Task<IMailConnection> ConnectAsync(CancellationToken cancel)
    {
        if (settings.Host is null)
        {
            throw new MailSendException(Description);
        }

        var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await OpenAsync(client, cancel);
            return new Connection(client, this);
        }
        catch (MailSendException)
        {
            client.Dispose();
            throw;
        }
    }

    private async Task OpenAsync(SmtpClient client, CancellationToken cancel)
    {
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security switch
            {
                SmtpSettings.None => SecureSocketOptions.None,
                SmtpSettings.Tls => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, cancel);
            if (settings.UserName is not null)
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancel);
            }
        }
        catch (Exception ex) when (IsMailFailure(ex))
        {
            throw new MailSendException($"The SMTP server {settings.Host}:{settings.Port} could not be used: {ex.Message}", false, ex);
        }
    }

    private MimeMessage ToMime(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(settings.From!);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        // The same id for every try of one outbox row: a mail system that sees it twice can tell it is one message.
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(mail.ReasonKey)))[..16].ToLowerInvariant();
        message.MessageId = $"audittool.{mail.OutboxId.ToString(CultureInfo.InvariantCulture)}.{hash}@{settings.From!.Domain}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-AuditTool-Reason", mail.ReasonKey);
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    private static bool IsMailFailure(Exception ex) => ex is IOException or SocketException or SmtpCommandException
        or SmtpProtocolException or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException
        or SslHandshakeException or ServiceNotConnectedException
        or ServiceNotAuthenticatedException or OperationCanceledException or TimeoutException or NotSupportedException;

    private sealed class Connection(SmtpClient client, SmtpMailSender sender) : IMailConnection
    {
        public async Task SendAsync(OutgoingMail mail, CancellationToken cancel)
        {
            if (!client.IsConnected)
            {
                // The server closed an idle connection between two messages: nothing of this one was handed over yet.
                await sender.OpenAsync(client, cancel);
            }

            var message = sender.ToMime(mail);
            try
            {
                await client.SendAsync(message, cancel);
            }
            catch (SmtpCommandException ex)
            {
                // The server answered with a refusal: it did not take the message.
                throw new MailSendException($"The SMTP server refused the message: {ex.Message}", false, ex);
            }
            catch (Exception ex) when (IsMailFailure(ex))
            {
                // The connection broke while the message was being handed over: the server may have it.
                throw new MailSendException($"The connection to the SMTP server failed while sending: {ex.Message}", true, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true);
                }
            }
            catch (Exception ex) when (IsMailFailure(ex))
            {
                // Saying goodbye failed: what was sent is sent; nothing to do.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
