using AuditTool.Domain.Security;

namespace AuditTool.Domain.Notices;

/// <summary>Why a message is sent. Each kind has its own reason keys (see <see cref="NoticePlanner"/>).</summary>
public static class NoticeKinds
{
    public const string Opening = "opening";
    public const string Reminder = "reminder";
    public const string OverdueReturns = "overdue-returns";
    public const string Amendment = "amendment";
    public const string OverdueActions = "overdue-actions";
    public const string Test = "test";
    public const string AccountsDisabled = "accounts-disabled";
    public const string ConcernRaised = "concern-raised";
    public const string ConcernEscalated = "concern-reminder";
    public const string RetentionDue = "retention-due";

    public static IReadOnlyList<string> All { get; } =
        [Opening, Reminder, OverdueReturns, Amendment, OverdueActions, Test, AccountsDisabled, ConcernRaised, ConcernEscalated, RetentionDue];

    public static string Label(string kind) => kind switch
    {
        Opening => "Audit opened",
        AccountsDisabled => "Unused accounts disabled",
        RetentionDue => "Case content due for disposal",
        Reminder => "Reminder before the deadline",
        OverdueReturns => "Returns overdue",
        Amendment => "Returned for amendment",
        OverdueActions => "Actions overdue",
        Test => "Test message",
        ConcernRaised => "Safeguarding concern raised",
        ConcernEscalated => "Safeguarding concern not acknowledged",
        _ => kind,
    };
}

/// <summary>Where a message is in the outbox.</summary>
public static class OutboxStatuses
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static IReadOnlyList<string> All { get; } = [Pending, Sending, Sent, Failed, Dead];

    public static string Label(string status) => status switch
    {
        Pending => "Waiting to be sent",
        Sending => "Being sent",
        Sent => "Sent",
        Failed => "Failed, will be retried",
        Dead => "Not sent: needs an administrator",
        _ => status,
    };
}

/// <summary>A message the pass has decided to send, with the reason it is sent; written to the outbox before sending.</summary>
public sealed record NewOutboxMessage(
    string ReasonKey,
    string Kind,
    long? AuditId,
    long? AgencyId,
    long? RecipientUserId,
    string To,
    string Subject,
    string TextBody,
    string HtmlBody);

/// <summary>A message in the outbox.</summary>
public sealed record OutboxMessage(
    long Id,
    string ReasonKey,
    string Kind,
    long? AuditId,
    long? AgencyId,
    long? RecipientUserId,
    string To,
    string Subject,
    string TextBody,
    string HtmlBody,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptUtc,
    string? LastError,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? SentUtc);

public sealed record OutboxQuery(string? Status, string? Kind, string? Address, int Skip, int Take);

public sealed record OutboxPage(IReadOnlyList<OutboxMessage> Messages, int Total, IReadOnlyDictionary<string, int> CountByStatus);

public interface IOutboxRepository
{
    /// <summary>Writes the messages whose reason key is not in the outbox yet (one transaction); returns how many were new.</summary>
    Task<int> AddAsync(IReadOnlyList<NewOutboxMessage> messages, DateTimeOffset now);

    Task<OutboxMessage?> GetByIdAsync(long id);

    Task<OutboxMessage?> GetByReasonKeyAsync(string reasonKey);

    /// <summary>Pending and failed messages whose next try has come, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int max);

    /// <summary>Takes a due message for sending (pending or failed to sending, one more attempt): true for exactly one caller.</summary>
    Task<bool> ClaimAsync(long id, DateTimeOffset now);

    Task MarkSentAsync(long id, DateTimeOffset now);

    /// <summary>A claimed message that was not sent: failed (retried from <paramref name="nextAttempt"/>) or dead (null: not retried).</summary>
    Task MarkFailedAsync(long id, string error, DateTimeOffset? nextAttempt);

    /// <summary>Messages claimed before <paramref name="claimedBefore"/> and never marked: their sender stopped mid-send. They
    /// become dead with <paramref name="error"/>, never sent again by themselves (they may have been delivered).</summary>
    Task<int> MarkInDoubtAsync(DateTimeOffset claimedBefore, string error);

    /// <summary>An administrator's retry: a failed or dead message waits to be sent again, with a fresh set of tries.</summary>
    Task<bool> RequeueAsync(long id, DateTimeOffset now);

    Task<OutboxPage> SearchAsync(OutboxQuery query);
}

/// <summary>An account that may be sent notices: an active auditor or manager (the address may be missing).</summary>
public sealed record NoticeRecipient(long UserId, Role Role, long AgencyId, string? Email);

public sealed record NoticeAudit(long Id, string Title, DateOnly? Deadline);

/// <summary>An unsubmitted return of an open audit. <see cref="AmendmentNumber"/>: the number of its latest sending back (one notice per number).</summary>
public sealed record NoticeReturn(long Id, long AuditId, string CaseRef, long AgencyId, long? AuditorUserId, string Status,
    string? ReturnedComment, long? AmendmentNumber);

public sealed record NoticeAction(long Id, long AuditId, string AuditTitle, string Description, long OwnerAgencyId, DateOnly DueDate, string Status);

/// <summary>What a pass decides from: open audits and their unsubmitted returns, overdue actions, who may be told, and
/// what was already told (opening notices by audit and person; the last overdue-actions notice by person).</summary>
public sealed record NoticeSnapshot(
    IReadOnlyList<NoticeAudit> OpenAudits,
    IReadOnlyList<NoticeReturn> OutstandingReturns,
    IReadOnlyList<NoticeAction> OverdueActions,
    IReadOnlyList<NoticeRecipient> Recipients,
    IReadOnlyDictionary<long, string> AgencyNames,
    IReadOnlyDictionary<(long AuditId, long UserId), DateTimeOffset> OpeningsSent,
    IReadOnlyDictionary<long, DateTimeOffset> LastOverdueActionsSent,
    ConcernNoticeSnapshot? Concerns = null);

/// <summary>A concern not closed yet, as the notices need it: never its description.</summary>
public sealed record NoticeConcern(long Id, long AuditId, string AuditTitle, string CaseRef, string State, DateTimeOffset RaisedUtc,
    IReadOnlyList<long> CaseAgencyIds);

/// <summary>An account concern notices go to: an enabled safeguarding lead (with its agency) or scrutineer (no agency).</summary>
public sealed record ConcernRecipient(long UserId, long? AgencyId, string? Email);

public sealed record ConcernNoticeSnapshot(IReadOnlyList<NoticeConcern> Open, IReadOnlyList<ConcernRecipient> Leads,
    IReadOnlyList<ConcernRecipient> Scrutineers);

public interface INoticeSource
{
    Task<NoticeSnapshot> GetSnapshotAsync(DateOnly today);
}

/// <summary>One pass at a time per database, across servers and command-line runs.</summary>
public interface INoticePassLock
{
    /// <summary>The turn, or null when another process is running a pass now.</summary>
    Task<IAsyncDisposable?> TryTakeAsync();
}

/// <summary>The reminder settings the messages depend on: the days before a deadline to remind, and the site's address for links.</summary>
public sealed record NoticeSettings(IReadOnlyList<int> DaysBefore, string? PublicUrl, AuditTool.Domain.Concerns.ConcernNoticeSettings? Concerns = null)
{
    public AuditTool.Domain.Concerns.ConcernNoticeSettings ConcernsOrDefault => Concerns ?? AuditTool.Domain.Concerns.ConcernNoticeSettings.Default;

    public static IReadOnlyList<int> DefaultDaysBefore { get; } = [7, 1];

    public static NoticeSettings Default { get; } = new(DefaultDaysBefore, null);
}

public sealed record OutgoingMail(long OutboxId, string ReasonKey, string To, string Subject, string TextBody, string HtmlBody);

/// <summary>Sending mail; the implementation (MailKit) lives outside the domain.</summary>
public interface IMailSender
{
    /// <summary>False when no SMTP host is set: nothing is written to the outbox or sent.</summary>
    bool IsConfigured { get; }

    /// <summary>The settings in words for administrators (never the password).</summary>
    string Description { get; }

    /// <summary>Connects and signs in; a <see cref="MailSendException"/> when the server cannot be used.</summary>
    Task<IMailConnection> ConnectAsync(CancellationToken cancel);
}

public interface IMailConnection : IAsyncDisposable
{
    /// <summary>Hands one message to the server; a <see cref="MailSendException"/> when it was not accepted.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancel);
}

/// <summary>A message was not sent. <see cref="MayHaveBeenDelivered"/>: the connection failed while the message was being
/// handed over, so the server may have it; such a message is never retried by itself.</summary>
public sealed class MailSendException(string message, bool mayHaveBeenDelivered = false, Exception? inner = null) : Exception(message, inner)
{
    public bool MayHaveBeenDelivered { get; } = mayHaveBeenDelivered;
}
