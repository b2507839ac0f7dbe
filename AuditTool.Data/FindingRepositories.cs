using System.Text.Json;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

public sealed class FindingRepository(ConnectionFactory factory) : IFindingRepository
{
    public async Task<IReadOnlyList<Finding>> GetByAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<Row>("""
            SELECT id AS Id, audit_id AS AuditId, kind AS Kind, title AS Title, narrative AS Narrative, position AS Position,
                   question_keys_json AS QuestionKeys, themes_json AS Themes, source AS Source
            FROM findings WHERE audit_id = @auditId ORDER BY position, id
            """, new { auditId });
        return rows.Select(r => new Finding(r.Id, r.AuditId, r.Kind, r.Title, r.Narrative, (int)r.Position, Strings(r.QuestionKeys),
            Strings(r.Themes), r.Source)).ToList();
    }

    public async Task<long> CreateAsync(Finding finding, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO findings (audit_id, kind, title, narrative, position, question_keys_json, themes_json, source, created_utc, updated_utc)
            VALUES (@AuditId, @Kind, @Title, @Narrative, @Position, @questions, @themes, @Source, @now, @now)
            RETURNING id
            """, Parameters(finding, now));
    }

    public async Task ReplaceAsync(Finding finding, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE findings SET kind = @Kind, title = @Title, narrative = @Narrative, position = @Position,
                question_keys_json = @questions, themes_json = @themes, updated_utc = @now
            WHERE id = @Id
            """, Parameters(finding, now));
    }

    public async Task DeleteAsync(long findingId)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM findings WHERE id = @findingId", new { findingId });
    }

    public async Task<IReadOnlyList<FindingQuote>> GetQuotesByAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long Id, long FindingId, long Position, string Text)>("""
            SELECT q.id, q.finding_id, q.position, q.text FROM finding_quotes q JOIN findings f ON f.id = q.finding_id
            WHERE f.audit_id = @auditId ORDER BY q.finding_id, q.position, q.id
            """, new { auditId });
        return rows.Select(r => new FindingQuote(r.Id, r.FindingId, (int)r.Position, r.Text)).ToList();
    }

    public async Task<long> AddQuoteAsync(long findingId, string text, long? sourceReturnId, string? sourceQuestionKey, long? userId, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO finding_quotes (finding_id, position, text, source_return_id, source_question_id, created_by, created_utc)
            VALUES (@findingId, (SELECT COALESCE(MAX(position) + 1, 0) FROM finding_quotes WHERE finding_id = @findingId), @text,
                    @sourceReturnId,
                    (SELECT q.id FROM template_questions q JOIN audits a ON a.template_version_id = q.template_version_id
                     JOIN findings f ON f.audit_id = a.id WHERE f.id = @findingId AND q.key = @sourceQuestionKey),
                    @userId, @now)
            RETURNING id
            """, new { findingId, text, sourceReturnId, sourceQuestionKey, userId, now = Utc.Format(now) }, tx);
        await tx.CommitAsync();
        return id;
    }

    public async Task<bool> DeleteQuoteAsync(long findingId, long quoteId)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync("DELETE FROM finding_quotes WHERE id = @quoteId AND finding_id = @findingId",
            new { findingId, quoteId }) == 1;
    }

    public async Task<IReadOnlyList<QuoteSource>> GetQuoteSourcesAsync(long auditId, IReadOnlyList<string> questionKeys)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<QuoteSourceRow>("""
            SELECT r.id AS ReturnId, c.ref AS CaseRef, g.name AS AgencyName, q.key AS QuestionKey, q.text AS QuestionText,
                   a.evidence AS Evidence
            FROM answers a
            JOIN agency_returns r ON r.id = a.return_id
            JOIN audit_cases c ON c.id = r.case_id
            JOIN agencies g ON g.id = r.agency_id
            JOIN template_questions q ON q.id = a.question_id
            WHERE r.audit_id = @auditId AND r.status = 'submitted' AND a.evidence IS NOT NULL AND a.evidence <> ''
            ORDER BY q.position, c.position, c.id, g.name
            """, new { auditId });
        return rows.Where(r => questionKeys.Count == 0 || questionKeys.Contains(r.QuestionKey))
            .Select(r => new QuoteSource(r.ReturnId, r.CaseRef, r.AgencyName, r.QuestionKey, r.QuestionText, r.Evidence))
            .ToList();
    }

    private sealed record QuoteSourceRow(long ReturnId, string CaseRef, string AgencyName, string QuestionKey, string QuestionText, string Evidence);

    private static object Parameters(Finding f, DateTimeOffset now) => new
    {
        f.Id,
        f.AuditId,
        f.Kind,
        f.Title,
        f.Narrative,
        f.Position,
        questions = JsonSerializer.Serialize(f.QuestionKeys),
        themes = JsonSerializer.Serialize(f.Themes),
        f.Source,
        now = Utc.Format(now),
    };

    private static IReadOnlyList<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private sealed class Row
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string Kind { get; set; } = string.Empty;
        public string Title { get; set; } = string.Empty;
        public string Narrative { get; set; } = string.Empty;
        public long Position { get; set; }
        public string QuestionKeys { get; set; } = "[]";
        public string Themes { get; set; } = "[]";
        public string Source { get; set; } = string.Empty;
    }
}

public sealed class ActionRepository(ConnectionFactory factory) : IActionRepository
{
    private const string Columns = """
        id AS Id, audit_id AS AuditId, finding_id AS FindingId, description AS Description, owner_agency_id AS OwnerAgencyId,
        due_date AS DueDate, status AS Status, updated_utc AS UpdatedUtc
        """;

    public async Task<IReadOnlyList<AuditAction>> GetByAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM actions WHERE audit_id = @auditId ORDER BY due_date IS NULL, due_date, id",
            new { auditId })).Select(r => r.ToAction()).ToList();
    }

    public async Task<IReadOnlyList<AuditAction>> GetByOwnerAsync(long agencyId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM actions WHERE owner_agency_id = @agencyId ORDER BY due_date IS NULL, due_date, id",
            new { agencyId })).Select(r => r.ToAction()).ToList();
    }

    public async Task<AuditAction?> GetByIdAsync(long actionId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM actions WHERE id = @actionId", new { actionId }))?.ToAction();
    }

    public async Task<long> CreateAsync(AuditAction action, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO actions (audit_id, finding_id, description, owner_agency_id, due_date, status, created_utc, updated_utc)
            VALUES (@AuditId, @FindingId, @Description, @OwnerAgencyId, @due, @Status, @now, @now)
            RETURNING id
            """, Parameters(action, now));
    }

    public async Task ReplaceAsync(AuditAction action, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE actions SET finding_id = @FindingId, description = @Description, owner_agency_id = @OwnerAgencyId,
                due_date = @due, status = @Status, updated_utc = @now
            WHERE id = @Id
            """, Parameters(action, now));
    }

    public async Task DeleteAsync(long actionId)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM actions WHERE id = @actionId", new { actionId });
    }

    private static object Parameters(AuditAction a, DateTimeOffset now) => new
    {
        a.Id,
        a.AuditId,
        a.FindingId,
        a.Description,
        a.OwnerAgencyId,
        due = Utc.FormatDate(a.DueDate),
        a.Status,
        now = Utc.Format(now),
    };

    private sealed class Row
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public long? FindingId { get; set; }
        public string Description { get; set; } = string.Empty;
        public long? OwnerAgencyId { get; set; }
        public string? DueDate { get; set; }
        public string Status { get; set; } = string.Empty;
        public string UpdatedUtc { get; set; } = string.Empty;

        public AuditAction ToAction() => new(Id, AuditId, FindingId, Description, OwnerAgencyId, Utc.ParseDate(DueDate), Status, Utc.Parse(UpdatedUtc));
    }
}

public sealed class ModerationRepository(ConnectionFactory factory) : IModerationRepository
{
    public async Task<IReadOnlyList<Moderation>> GetByAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<Row>("""
            SELECT m.case_id AS CaseId, c.ref AS CaseRef, m.question_key AS QuestionKey, m.value AS Value, m.rationale AS Rationale,
                   m.moderated_by AS ModeratedBy, m.moderated_utc AS ModeratedUtc
            FROM moderations m JOIN audit_cases c ON c.id = m.case_id
            WHERE c.audit_id = @auditId ORDER BY c.position, c.id, m.question_key
            """, new { auditId });
        return rows.Select(r => new Moderation(r.CaseId, r.CaseRef, r.QuestionKey, r.Value, r.Rationale, r.ModeratedBy, Utc.Parse(r.ModeratedUtc))).ToList();
    }

    public async Task UpsertAsync(long caseId, string questionKey, string value, string rationale, long? userId, DateTimeOffset now,
        AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        await connection.ExecuteAsync("""
            INSERT INTO moderations (case_id, question_key, value, rationale, moderated_by, moderated_utc)
            VALUES (@caseId, @questionKey, @value, @rationale, @userId, @now)
            ON CONFLICT (case_id, question_key) DO UPDATE
                SET value = excluded.value, rationale = excluded.rationale, moderated_by = excluded.moderated_by,
                    moderated_utc = excluded.moderated_utc
            """, new { caseId, questionKey, value, rationale, userId, now = Utc.Format(now) }, tx);
        await CountChangeOfCaseAsync(connection, tx, caseId);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
    }

    private static Task CountChangeOfCaseAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long caseId) =>
        connection.ExecuteAsync("UPDATE audits SET changes = changes + 1 WHERE id = (SELECT audit_id FROM audit_cases WHERE id = @caseId)",
            new { caseId }, tx);

    public async Task<bool> DeleteAsync(long caseId, string questionKey, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        if (await connection.ExecuteAsync("DELETE FROM moderations WHERE case_id = @caseId AND question_key = @questionKey",
                new { caseId, questionKey }, tx) != 1)
        {
            return false;
        }

        await CountChangeOfCaseAsync(connection, tx, caseId);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    private sealed class Row
    {
        public long CaseId { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public string QuestionKey { get; set; } = string.Empty;
        public string Value { get; set; } = string.Empty;
        public string Rationale { get; set; } = string.Empty;
        public long? ModeratedBy { get; set; }
        public string ModeratedUtc { get; set; } = string.Empty;
    }
}
