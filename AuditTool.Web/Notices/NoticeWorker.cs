using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;

namespace AuditTool.Web.Notices;

/// <summary>
/// The server's reminders: a pass as the server starts, then every 15 minutes. On PostgreSQL several servers each run
/// this; the pass lock lets one at a time do the work, and the outbox's reason keys keep anything from going twice.
/// </summary>
public sealed class NoticeWorker(NoticeService notices, IMailSender mail, TimeProvider clock, ILogger<NoticeWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mail.IsConfigured)
        {
            logger.LogWarning("No SMTP host is set (AuditTool:Smtp:Host): reminders and notices are not sent.");
            return;
        }

        // Let the host finish starting before the first pass.
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                await PassAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await notices.RunPassAsync(Actor.System, stoppingToken);
            if (result.Skipped is not null)
            {
                logger.LogInformation("Reminders pass skipped: {Reason}", result.Skipped);
                return;
            }

            logger.LogInformation("Reminders pass: {Queued} new in the outbox, {Sent} sent, {Failed} failed, {InDoubt} in doubt.",
                result.Queued, result.Sent.Count, result.Failed.Count, result.InDoubt);
            foreach (var failed in result.Failed)
            {
                logger.LogWarning("Message {Id} ({Kind}) to {To} was not sent: {Error}", failed.Id, failed.Kind, failed.To, failed.Error);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database that cannot be reached now may be back for the next pass; the server carries on.
            logger.LogError(ex, "The reminders pass failed; the next one runs in {Minutes} minutes.", Interval.TotalMinutes);
        }
    }
}
