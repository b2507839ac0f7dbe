using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Notices;

public sealed record SentNotice(long Id, string Kind, string To, string Subject);

public sealed record FailedNotice(long Id, string Kind, string To, string Subject, string Error, bool WillRetry);

/// <summary>What one pass did. <see cref="Skipped"/> says why it did nothing (no SMTP host; another pass running).</summary>
public sealed record NoticePassResult(string? Skipped, int Queued, IReadOnlyList<SentNotice> Sent, IReadOnlyList<FailedNotice> Failed, int InDoubt)
{
    public const string NotConfigured = "No SMTP host is set (AuditTool:Smtp:Host): nothing was written to the outbox or sent.";
    public const string Busy = "Another server or run is doing a pass now: this one did nothing.";

    public static NoticePassResult SkippedBecause(string why) => new(why, 0, [], [], 0);
}

/// <summary>The mail settings as administrators see them, and the outbox's counts.</summary>
public sealed record MailStatus(bool Configured, string Description, string? PublicUrl, IReadOnlyList<int> DaysBefore, string? YourEmail);

/// <summary>
/// Reminders and notices by e-mail through the outbox. A pass (every 15 minutes on the server, or <c>send-reminders</c>)
/// takes the pass lock, writes every message the state of the database calls for (<see cref="NoticePlanner"/>) to the
/// outbox under its reason key, then sends what is due. Exactly once: a reason key is written once (a unique column);
/// a message is claimed by one sender in a committed update before the SMTP conversation starts; a message whose
/// sender stopped mid-send is never sent again by itself. A send that fails is retried with back-off, and after the
/// last try it waits for an administrator. Administrators only, besides the system (the server's own pass, the verb).
/// </summary>
public sealed class NoticeService(
    IOutboxRepository outbox,
    INoticeSource source,
    INoticePassLock passLock,
    IMailSender mail,
    NoticeSettings settings,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    /// <summary>The waits after the 1st, 2nd, ... failed try; a message that fails once more than this is given up.</summary>
    public static IReadOnlyList<TimeSpan> BackOff { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    public static int MaxAttempts => BackOff.Count + 1;

    /// <summary>A message still being sent this long after it was claimed was left by a sender that stopped.</summary>
    public static readonly TimeSpan InDoubtAfter = TimeSpan.FromMinutes(10);

    public const string InDoubtError =
        "In doubt: the sender stopped while handing this message to the SMTP server, so it may have been delivered. " +
        "It is not sent again by itself: check with the recipient before you retry it.";

    public const int PageSizeLimit = 500;

    /// <summary>One pass: plan, write to the outbox, send what is due.</summary>
    public async Task<NoticePassResult> RunPassAsync(Actor actor, CancellationToken cancel = default)
    {
        await access.RequireAsync(actor, "notices.pass", Role.Administrator);
        if (!mail.IsConfigured)
        {
            return NoticePassResult.SkippedBecause(NoticePassResult.NotConfigured);
        }

        await using var turn = await passLock.TryTakeAsync();
        if (turn is null)
        {
            return NoticePassResult.SkippedBecause(NoticePassResult.Busy);
        }

        var now = clock.GetUtcNow();
        var inDoubt = await outbox.MarkInDoubtAsync(now - InDoubtAfter, InDoubtError);
        var snapshot = await source.GetSnapshotAsync(DateOnly.FromDateTime(now.UtcDateTime));
        var queued = await outbox.AddAsync(NoticePlanner.Plan(snapshot, settings, now), now);
        var (sent, failed) = await SendAsync(await outbox.GetDueAsync(now, 1000), cancel);
        return new NoticePassResult(null, queued, sent, failed, inDoubt);
    }

    public async Task<MailStatus> GetStatusAsync(Actor actor)
    {
        var user = await access.RequireAsync(actor, "notices.status", Role.Administrator);
        return new MailStatus(mail.IsConfigured, mail.Description, settings.PublicUrl, settings.DaysBefore, user?.Email);
    }

    public async Task<OutboxPage> SearchOutboxAsync(Actor actor, OutboxQuery query)
    {
        await access.RequireAsync(actor, "outbox.read", Role.Administrator);
        var problems = new List<string>();
        if (query.Status is { Length: > 0 } status && !OutboxStatuses.All.Contains(status))
        {
            problems.Add($"'{status}' is not a status of the outbox.");
        }

        if (query.Kind is { Length: > 0 } kind && !NoticeKinds.All.Contains(kind))
        {
            problems.Add($"'{kind}' is not a kind of message.");
        }

        if (query.Address?.Length > EmailAddress.MaxLength)
        {
            problems.Add($"An address to look for is at most {EmailAddress.MaxLength} characters.");
        }

        if (query.Skip < 0 || query.Take is < 1 or > PageSizeLimit)
        {
            problems.Add($"A page of the outbox holds 1 to {PageSizeLimit} messages.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var page = await outbox.SearchAsync(query with
        {
            Status = string.IsNullOrEmpty(query.Status) ? null : query.Status,
            Kind = string.IsNullOrEmpty(query.Kind) ? null : query.Kind,
            Address = string.IsNullOrWhiteSpace(query.Address) ? null : query.Address.Trim(),
        });
        // Administrators see who was told what kind of thing and when, never a message's words: an amendment notice
        // carries the scrutineer's comment on the case, which is case content.
        return page with { Messages = page.Messages.Select(m => m with { TextBody = string.Empty, HtmlBody = string.Empty }).ToList() };
    }

    /// <summary>Sends a test message to <paramref name="address"/> now, through the outbox; returns it as it ended.</summary>
    public async Task<OutboxMessage> SendTestAsync(Actor actor, string? address)
    {
        var user = await access.RequireAsync(actor, "outbox.test", Role.Administrator);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new DomainValidationException("Give the address to send the test message to.");
        }

        if (EmailAddress.Check(address) is { } problem)
        {
            throw new DomainValidationException(problem);
        }

        RequireConfigured();
        var now = clock.GetUtcNow();
        var to = EmailAddress.Normalise(address)!;
        var key = $"test:user-{actor.UserId}:{Guid.NewGuid():N}";
        var content = NoticeComposer.Test();
        await outbox.AddAsync([new NewOutboxMessage(key, NoticeKinds.Test, null, null, user?.Id, to, content.Subject,
            NoticeComposer.Text(content, settings.PublicUrl), NoticeComposer.Html(content, settings.PublicUrl))], now);
        var message = await outbox.GetByReasonKeyAsync(key)
            ?? throw new InvalidOperationException("The test message was not written to the outbox.");
        await log.WriteAsync(new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "test-message", "outbox",
            message.Id.ToString(), null, to));
        await SendAsync([message], CancellationToken.None);
        return (await outbox.GetByIdAsync(message.Id))!;
    }

    /// <summary>An administrator sends a failed or given-up message again now (a sent message is never sent twice).</summary>
    public async Task<OutboxMessage> RetryAsync(Actor actor, long messageId)
    {
        await access.RequireAsync(actor, "outbox.retry", Role.Administrator);
        var message = await outbox.GetByIdAsync(messageId) ?? throw new DomainValidationException("That message is not in the outbox.");
        switch (message.Status)
        {
            case OutboxStatuses.Sent:
                throw new DomainValidationException($"This message was sent at {message.SentUtc:yyyy-MM-dd HH:mm} UTC: a message is never sent twice.");
            case OutboxStatuses.Pending or OutboxStatuses.Sending:
                throw new DomainValidationException("This message is already waiting to be sent, or being sent.");
        }

        RequireConfigured();
        var now = clock.GetUtcNow();
        if (!await outbox.RequeueAsync(messageId, now))
        {
            throw new DomainValidationException("The message changed in the meantime: reload and look again.");
        }

        await log.WriteAsync(new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "retry", "outbox",
            messageId.ToString(), message.Status, OutboxStatuses.Pending));
        await SendAsync([(await outbox.GetByIdAsync(messageId))!], CancellationToken.None);
        return (await outbox.GetByIdAsync(messageId))!;
    }

    private void RequireConfigured()
    {
        if (!mail.IsConfigured)
        {
            throw new DomainValidationException(
                "No SMTP host is set (AuditTool:Smtp:Host), so nothing can be sent. Set the SMTP settings and restart the server.");
        }
    }

    /// <summary>
    /// Sends each message that this process manages to claim, over one connection. Cancellation is looked at between
    /// messages only: a message being handed over is finished, so none is left half-sent by a stopping server.
    /// </summary>
    private async Task<(List<SentNotice> Sent, List<FailedNotice> Failed)> SendAsync(IReadOnlyList<OutboxMessage> due, CancellationToken cancel)
    {
        var sent = new List<SentNotice>();
        var failed = new List<FailedNotice>();
        IMailConnection? connection = null;
        string? cannotConnect = null;
        try
        {
            foreach (var message in due)
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                if (!await outbox.ClaimAsync(message.Id, clock.GetUtcNow()))
                {
                    continue;
                }

                var attempt = message.Attempts + 1;
                if (cannotConnect is not null)
                {
                    failed.Add(await FailAsync(message, attempt, new MailSendException(cannotConnect)));
                    continue;
                }

                try
                {
                    connection ??= await mail.ConnectAsync(CancellationToken.None);
                }
                catch (MailSendException ex)
                {
                    // The server cannot be reached or refuses us: the other messages of this pass fail alike, untried.
                    cannotConnect = ex.Message;
                    failed.Add(await FailAsync(message, attempt, ex));
                    continue;
                }

                try
                {
                    await connection.SendAsync(new OutgoingMail(message.Id, message.ReasonKey, message.To, message.Subject,
                        message.TextBody, message.HtmlBody), CancellationToken.None);
                }
                catch (MailSendException ex)
                {
                    failed.Add(await FailAsync(message, attempt, ex));
                    await connection.DisposeAsync();
                    connection = null;
                    continue;
                }

                await outbox.MarkSentAsync(message.Id, clock.GetUtcNow());
                sent.Add(new SentNotice(message.Id, message.Kind, message.To, message.Subject));
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return (sent, failed);
    }

    private async Task<FailedNotice> FailAsync(OutboxMessage message, int attempt, MailSendException ex)
    {
        string error;
        DateTimeOffset? next = null;
        if (ex.MayHaveBeenDelivered)
        {
            error = $"{InDoubtError} ({ex.Message})";
        }
        else if (attempt >= MaxAttempts)
        {
            error = $"Given up after {attempt} tries: {ex.Message}";
        }
        else
        {
            next = clock.GetUtcNow() + BackOff[attempt - 1];
            error = $"Try {attempt} of {MaxAttempts} failed: {ex.Message}";
        }

        await outbox.MarkFailedAsync(message.Id, error, next);
        return new FailedNotice(message.Id, message.Kind, message.To, message.Subject, error, next is not null);
    }
}
