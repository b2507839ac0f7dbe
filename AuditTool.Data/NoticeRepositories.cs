using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using Dapper;

namespace AuditTool.Data;

/// <summary>The outbox of reminders and notices: one row per reason key, written before it is sent.</summary>
public sealed class OutboxRepository(ConnectionFactory factory) : IOutboxRepository
{
    private const string Columns = """
        id AS Id, reason_key AS ReasonKey, kind AS Kind, audit_id AS AuditId, agency_id AS AgencyId,
        recipient_user_id AS RecipientUserId, to_address AS ToAddress, subject AS Subject, text_body AS TextBody,
        html_body AS HtmlBody, status AS Status, attempts AS Attempts, next_attempt_utc AS NextAttemptUtc,
        last_error AS LastError, created_utc AS CreatedUtc, sent_utc AS SentUtc
        """;

    public async Task<int> AddAsync(IReadOnlyList<NewOutboxMessage> messages, DateTimeOffset now)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var at = Utc.Format(now);
        var added = await connection.ExecuteAsync("""
            INSERT INTO outbox (reason_key, kind, audit_id, agency_id, recipient_user_id, to_address, subject, text_body, html_body,
                                status, attempts, next_attempt_utc, created_utc)
            VALUES (@ReasonKey, @Kind, @AuditId, @AgencyId, @RecipientUserId, @To, @Subject, @TextBody, @HtmlBody,
                    'pending', 0, @at, @at)
            ON CONFLICT (reason_key) DO NOTHING
            """, messages.Select(m => new { m.ReasonKey, m.Kind, m.AuditId, m.AgencyId, m.RecipientUserId, m.To, m.Subject, m.TextBody, m.HtmlBody, at }),
            tx);
        await tx.CommitAsync();
        return added;
    }

    public async Task<OutboxMessage?> GetByIdAsync(long id)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM outbox WHERE id = @id", new { id }))?.ToMessage();
    }

    public async Task<OutboxMessage?> GetByReasonKeyAsync(string reasonKey)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM outbox WHERE reason_key = @reasonKey", new { reasonKey }))
            ?.ToMessage();
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int max)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<Row>($"""
            SELECT {Columns} FROM outbox
            WHERE status IN ('pending', 'failed') AND next_attempt_utc <= @now
            ORDER BY id LIMIT @max
            """, new { now = Utc.Format(now), max })).Select(r => r.ToMessage()).ToList();
    }

    public async Task<bool> ClaimAsync(long id, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        var at = Utc.Format(now);
        return await connection.ExecuteAsync("""
            UPDATE outbox SET status = 'sending', claimed_utc = @at, attempts = attempts + 1
            WHERE id = @id AND status IN ('pending', 'failed') AND next_attempt_utc <= @at
            """, new { id, at }) == 1;
    }

    public async Task MarkSentAsync(long id, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE outbox SET status = 'sent', sent_utc = @at, claimed_utc = NULL, last_error = NULL
            WHERE id = @id AND status = 'sending'
            """, new { id, at = Utc.Format(now) });
    }

    public async Task MarkFailedAsync(long id, string error, DateTimeOffset? nextAttempt)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE outbox SET status = @status, last_error = @error, claimed_utc = NULL,
                              next_attempt_utc = COALESCE(@next, next_attempt_utc)
            WHERE id = @id AND status = 'sending'
            """, new
        {
            id,
            error,
            status = nextAttempt is null ? OutboxStatuses.Dead : OutboxStatuses.Failed,
            next = Utc.Format(nextAttempt),
        });
    }

    public async Task<int> MarkInDoubtAsync(DateTimeOffset claimedBefore, string error)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync("""
            UPDATE outbox SET status = 'dead', last_error = @error, claimed_utc = NULL
            WHERE status = 'sending' AND claimed_utc < @before
            """, new { error, before = Utc.Format(claimedBefore) });
    }

    public async Task<bool> RequeueAsync(long id, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync("""
            UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_utc = @at
            WHERE id = @id AND status IN ('failed', 'dead')
            """, new { id, at = Utc.Format(now) }) == 1;
    }

    public async Task<OutboxPage> SearchAsync(OutboxQuery query)
    {
        using var connection = await factory.OpenAsync();
        const string where = """
            WHERE (@Status IS NULL OR status = @Status) AND (@Kind IS NULL OR kind = @Kind)
              AND (@address IS NULL OR lower(to_address) LIKE lower(@address))
            """;
        using var grid = await connection.QueryMultipleAsync($"""
            SELECT COUNT(*) FROM outbox {where};
            SELECT {Columns} FROM outbox {where} ORDER BY id DESC LIMIT @Take OFFSET @Skip;
            SELECT status AS Status, COUNT(*) AS Count FROM outbox GROUP BY status;
            """, new
        {
            query.Status,
            query.Kind,
            address = query.Address is null ? null : "%" + query.Address.Replace("%", "").Replace("_", "") + "%",
            query.Take,
            query.Skip,
        });
        var total = await grid.ReadSingleAsync<long>();
        var rows = await grid.ReadAsync<Row>();
        var counts = (await grid.ReadAsync<(string Status, long Count)>()).ToDictionary(c => c.Status, c => (int)c.Count);
        return new OutboxPage(rows.Select(r => r.ToMessage()).ToList(), (int)total, counts);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string ReasonKey { get; set; } = string.Empty;
        public string Kind { get; set; } = string.Empty;
        public long? AuditId { get; set; }
        public long? AgencyId { get; set; }
        public long? RecipientUserId { get; set; }
        public string ToAddress { get; set; } = string.Empty;
        public string Subject { get; set; } = string.Empty;
        public string TextBody { get; set; } = string.Empty;
        public string HtmlBody { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public long Attempts { get; set; }
        public string NextAttemptUtc { get; set; } = string.Empty;
        public string? LastError { get; set; }
        public string CreatedUtc { get; set; } = string.Empty;
        public string? SentUtc { get; set; }

        public OutboxMessage ToMessage() => new(Id, ReasonKey, Kind, AuditId, AgencyId, RecipientUserId, ToAddress, Subject, TextBody,
            HtmlBody, Status, (int)Attempts, Utc.Parse(NextAttemptUtc), LastError, Utc.Parse(CreatedUtc), Utc.ParseOrNull(SentUtc));
    }
}

/// <summary>What a pass decides from, read in one round trip.</summary>
public sealed class NoticeSource(ConnectionFactory factory) : INoticeSource
{
    public async Task<NoticeSnapshot> GetSnapshotAsync(DateOnly today)
    {
        using var connection = await factory.OpenAsync();
        using var grid = await connection.QueryMultipleAsync("""
            SELECT id AS Id, title AS Title, deadline AS Deadline FROM audits WHERE status = 'open' ORDER BY id;
            SELECT r.id AS Id, r.audit_id AS AuditId, c.ref AS CaseRef, r.agency_id AS AgencyId, r.auditor_user_id AS AuditorUserId,
                   r.status AS Status, r.returned_comment AS ReturnedComment,
                   CASE WHEN r.status = 'returned' AND r.amendment_number > 0 THEN r.amendment_number END AS AmendmentNumber
            FROM agency_returns r
            JOIN audits a ON a.id = r.audit_id
            JOIN audit_cases c ON c.id = r.case_id
            WHERE a.status = 'open' AND r.status <> 'submitted'
            ORDER BY r.id;
            SELECT x.id AS Id, x.audit_id AS AuditId, a.title AS AuditTitle, x.description AS Description,
                   x.owner_agency_id AS OwnerAgencyId, x.due_date AS DueDate, x.status AS Status
            FROM actions x JOIN audits a ON a.id = x.audit_id
            WHERE x.status <> 'done' AND x.owner_agency_id IS NOT NULL AND x.due_date IS NOT NULL AND x.due_date < @today
            ORDER BY x.id;
            SELECT id AS UserId, role AS Role, agency_id AS AgencyId, email AS Email FROM users
            WHERE is_disabled = 0 AND role IN ('auditor', 'manager') AND agency_id IS NOT NULL
            ORDER BY id;
            SELECT id AS Id, name AS Name FROM agencies;
            SELECT audit_id AS AuditId, recipient_user_id AS UserId, MIN(created_utc) AS At FROM outbox
            WHERE kind = 'opening' AND audit_id IS NOT NULL AND recipient_user_id IS NOT NULL
            GROUP BY audit_id, recipient_user_id;
            SELECT recipient_user_id AS UserId, MAX(created_utc) AS At FROM outbox
            WHERE kind = 'overdue-actions' AND recipient_user_id IS NOT NULL
            GROUP BY recipient_user_id;
            SELECT x.id AS Id, x.audit_id AS AuditId, a.title AS AuditTitle, c.ref AS CaseRef, x.state AS State, x.raised_utc AS RaisedUtc
            FROM concerns x JOIN audits a ON a.id = x.audit_id JOIN audit_cases c ON c.id = x.case_id
            WHERE x.state <> 'closed'
            ORDER BY x.id;
            SELECT DISTINCT x.id AS ConcernId, r.agency_id AS AgencyId
            FROM concerns x JOIN agency_returns r ON r.case_id = x.case_id
            WHERE x.state <> 'closed';
            SELECT id AS UserId, agency_id AS AgencyId, email AS Email FROM users
            WHERE is_disabled = 0 AND safeguarding_lead = 1 AND role IN ('auditor', 'manager') AND agency_id IS NOT NULL
            ORDER BY id;
            SELECT id AS UserId, agency_id AS AgencyId, email AS Email FROM users
            WHERE is_disabled = 0 AND role = 'scrutineer'
            ORDER BY id;
            """, new { today = Utc.FormatDate(today) });
        var audits = (await grid.ReadAsync<AuditRow>()).Select(a => new NoticeAudit(a.Id, a.Title, Utc.ParseDate(a.Deadline))).ToList();
        var returns = (await grid.ReadAsync<ReturnRow>()).Select(r => new NoticeReturn(r.Id, r.AuditId, r.CaseRef, r.AgencyId,
            r.AuditorUserId, r.Status, r.ReturnedComment, r.AmendmentNumber)).ToList();
        var actions = (await grid.ReadAsync<ActionRow>()).Select(a => new NoticeAction(a.Id, a.AuditId, a.AuditTitle, a.Description,
            a.OwnerAgencyId, Utc.ParseDate(a.DueDate)!.Value, a.Status)).ToList();
        var recipients = (await grid.ReadAsync<RecipientRow>()).Select(u => new NoticeRecipient(u.UserId,
            Roles.Parse(u.Role) ?? throw new InvalidDataException($"Unknown role '{u.Role}'."), u.AgencyId, u.Email)).ToList();
        var agencies = (await grid.ReadAsync<(long Id, string Name)>()).ToDictionary(a => a.Id, a => a.Name);
        var openings = (await grid.ReadAsync<SentRow>()).ToDictionary(o => (o.AuditId, o.UserId), o => Utc.Parse(o.At));
        var lastActions = (await grid.ReadAsync<SentRow>()).ToDictionary(o => o.UserId, o => Utc.Parse(o.At));
        var concernRows = (await grid.ReadAsync<ConcernRow>()).ToList();
        var onCase = (await grid.ReadAsync<(long ConcernId, long AgencyId)>()).ToLookup(x => x.ConcernId, x => x.AgencyId);
        var leads = (await grid.ReadAsync<ConcernRecipientRow>()).Select(r => new ConcernRecipient(r.UserId, r.AgencyId, r.Email)).ToList();
        var scrutineers = (await grid.ReadAsync<ConcernRecipientRow>()).Select(r => new ConcernRecipient(r.UserId, null, r.Email)).ToList();
        var concerns = new ConcernNoticeSnapshot(
            concernRows.Select(c => new NoticeConcern(c.Id, c.AuditId, c.AuditTitle, c.CaseRef, c.State, Utc.Parse(c.RaisedUtc),
                onCase[c.Id].Order().ToList())).ToList(),
            leads, scrutineers);
        return new NoticeSnapshot(audits, returns, actions, recipients, agencies, openings, lastActions, concerns);
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = string.Empty;
        public string? Deadline { get; set; }
    }

    private sealed class ReturnRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public long AgencyId { get; set; }
        public long? AuditorUserId { get; set; }
        public string Status { get; set; } = string.Empty;
        public string? ReturnedComment { get; set; }
        public long? AmendmentNumber { get; set; }
    }

    private sealed class ActionRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string AuditTitle { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;
        public long OwnerAgencyId { get; set; }
        public string DueDate { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
    }

    private sealed class RecipientRow
    {
        public long UserId { get; set; }
        public string Role { get; set; } = string.Empty;
        public long AgencyId { get; set; }
        public string? Email { get; set; }
    }

    private sealed class ConcernRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string AuditTitle { get; set; } = string.Empty;
        public string CaseRef { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public string RaisedUtc { get; set; } = string.Empty;
    }

    private sealed class ConcernRecipientRow
    {
        public long UserId { get; set; }
        public long? AgencyId { get; set; }
        public string? Email { get; set; }
    }

    private sealed class SentRow
    {
        public long AuditId { get; set; }
        public long UserId { get; set; }
        public string At { get; set; } = string.Empty;
    }
}

/// <summary>The pass lock: PostgreSQL's advisory lock (one server at a time), or a lock file beside the SQLite file.</summary>
public sealed class NoticePassLock(ConnectionFactory factory) : INoticePassLock
{
    public async Task<IAsyncDisposable?> TryTakeAsync() =>
        await StartupLock.TryTakeAsync(factory, StartupLock.NoticePassKey) is { } held ? new Held(held) : null;

    private sealed class Held(StartupLock held) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
