using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Web.Hosting;

/// <summary>
/// Once a day, on one server of the database at a time: accounts unused for the set number of days are disabled, and the
/// audit log's hash chain is checked (the check is recorded and shown on the audit log page).
/// </summary>
public sealed class DailyChecks(AccountLifecycleService accounts, AuditLogService auditLog, ConnectionFactory database, TimeProvider clock,
    ILogger<DailyChecks> logger, AuditTool.Domain.DataProtection.RetentionService? retention = null) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task RunOnceAsync(CancellationToken cancel)
    {
        using var turn = await StartupLock.TryTakeAsync(database, StartupLock.DailyChecksKey);
        if (turn is null)
        {
            return;
        }

        try
        {
            var disabled = await accounts.DisableUnusedAsync(Actor.System);
            if (disabled.Count > 0)
            {
                logger.LogWarning("Disabled {Count} accounts not used for the set number of days.", disabled.Count);
            }

            if (retention is not null)
            {
                // Retention: notices 30 days before, then disposal on the day, of what is not held.
                var pass = await retention.ApplyAsync(Actor.System);
                foreach (var d in pass.Disposed.Where(d => d.Counts.Total > 0))
                {
                    logger.LogWarning("Retention: destroyed {Stage} of audit {AuditId}: {What}.", d.Stage, d.AuditId, d.Counts.Describe());
                }

                foreach (var k in pass.Skipped)
                {
                    logger.LogInformation("Retention: skipped {Stage} of audit {AuditId}: {Why}.", k.Stage, k.AuditId, k.What);
                }
            }

            var check = await auditLog.VerifyAsync(Actor.System, cancel);
            if (!check.Intact)
            {
                logger.LogError("The audit log's hash chain is broken: {Message}", check.Message);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The daily checks failed; they run again tomorrow.");
        }
    }
}
