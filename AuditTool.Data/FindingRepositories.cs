using System.Text.Json;
using AuditTool.Domain.Findings;
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

    public async Task UpsertAsync(long caseId, string questionKey, string value, string rationale, long? userId, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO moderations (case_id, question_key, value, rationale, moderated_by, moderated_utc)
            VALUES (@caseId, @questionKey, @value, @rationale, @userId, @now)
            ON CONFLICT (case_id, question_key) DO UPDATE
                SET value = excluded.value, rationale = excluded.rationale, moderated_by = excluded.moderated_by,
                    moderated_utc = excluded.moderated_utc
            """, new { caseId, questionKey, value, rationale, userId, now = Utc.Format(now) });
    }

    public async Task<bool> DeleteAsync(long caseId, string questionKey)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync("DELETE FROM moderations WHERE case_id = @caseId AND question_key = @questionKey",
            new { caseId, questionKey }) == 1;
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
