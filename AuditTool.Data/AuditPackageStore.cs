using System.Text.Json;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Templates;
using Dapper;

namespace AuditTool.Data;

public sealed class AuditPackageStore(ConnectionFactory factory) : IAuditPackageStore
{
    /// <summary>From this many answers an import checks their references once, after the copy (PostgreSQL: see
    /// <see cref="BulkInsert.WriteAsync"/>); a smaller one, the usual way, row by row, without holding the table.</summary>
    public const long ManyAnswers = 50_000;

    public async Task<long> ImportAsync(AuditPackage package, long? baselineAuditId, long? userId, DateTimeOffset nowUtc)
    {
        var now = Utc.Format(nowUtc);
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);

        var agencyIds = new Dictionary<string, long>();
        foreach (var agency in package.Agencies)
        {
            agencyIds[agency.Key] = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM agencies WHERE key = @Key", new { agency.Key }, tx)
                ?? await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO agencies (key, name, kind, created_utc) VALUES (@Key, @Name, @Kind, @now) RETURNING id",
                    new { agency.Key, agency.Name, agency.Kind, now }, tx);
        }

        var templateVersionId = await connection.QuerySingleOrDefaultAsync<long?>("""
            SELECT v.id FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE t.key = @Key AND v.version = @Version
            """, new { package.Template.Key, package.Template.Version }, tx)
            ?? await TemplateRepository.InsertVersionAsync(connection, tx, package.Template, TemplateStatus.Published, now);
        var questionIds = (await connection.QueryAsync<(string Key, long Id)>(
                "SELECT key, id FROM template_questions WHERE template_version_id = @templateVersionId", new { templateVersionId }, tx))
            .ToDictionary(q => q.Key, q => q.Id, StringComparer.Ordinal);

        var a = package.Audit;
        var status = a.Status ?? (package.Returns.Count > 0 ? AuditStatuses.Open : AuditStatuses.Planning);
        var auditId = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO audits (title, kind, template_version_id, baseline_audit_id, purpose, sample_criteria, sample_criteria_json,
                sample_seed, sample_size, cohort_size, deadline, strength_threshold, development_threshold, minimum_count,
                reliability_threshold, status, created_by, created_utc, updated_utc, published_utc)
            VALUES (@Title, @Kind, @templateVersionId, @baselineAuditId, @Purpose, @SampleCriteria, @SampleCriteriaJson,
                @SampleSeed, @SampleSize, @CohortSize, @deadline, @strength, @development, @minimum, @reliability, @status,
                @userId, @now, @now, @published)
            RETURNING id
            """,
            new
            {
                a.Title,
                a.Kind,
                templateVersionId,
                baselineAuditId,
                a.Purpose,
                a.SampleCriteria,
                a.SampleCriteriaJson,
                a.SampleSeed,
                a.SampleSize,
                a.CohortSize,
                deadline = Utc.FormatDate(a.Deadline),
                strength = a.Thresholds.Strength,
                development = a.Thresholds.Development,
                minimum = a.Thresholds.MinimumCount,
                reliability = a.Thresholds.Reliability,
                status,
                userId,
                now,
                published = status is AuditStatuses.Published or AuditStatuses.Closed ? Utc.Format(a.PublishedUtc ?? nowUtc) : null,
            },
            tx);
        await connection.ExecuteAsync("INSERT INTO audit_agencies (audit_id, agency_id) VALUES (@auditId, @agencyId)",
            agencyIds.Values.Distinct().Select(agencyId => new { auditId, agencyId }), tx);

        // Cases, returns and answers go in as three bulk writes (binary COPY on PostgreSQL); the ids given to cases and
        // returns are read back by their natural keys.
        await BulkInsert.WriteAsync(connection, tx, "audit_cases", ["audit_id", "ref", "attributes_json", "source", "position"],
            package.Cases.Select((c, i) => new object?[] { auditId, c.Ref, JsonSerializer.Serialize(c.Attributes), "import", (long)i }));
        var caseIds = (await connection.QueryAsync<(string Ref, long Id)>(
                "SELECT ref, id FROM audit_cases WHERE audit_id = @auditId", new { auditId }, tx))
            .ToDictionary(c => c.Ref, c => c.Id, StringComparer.OrdinalIgnoreCase);

        await BulkInsert.WriteAsync(connection, tx, "agency_returns",
            ["audit_id", "case_id", "agency_id", "status", "returned_comment", "submitted_utc", "updated_utc"],
            package.Returns.Select(r => new object?[]
            {
                auditId, caseIds[r.Case], agencyIds[r.Agency], r.Status, r.ReturnedComment,
                r.Status == ReturnStatuses.Submitted ? now : null, now,
            }));
        var returnIds = (await connection.QueryAsync<(long CaseId, long AgencyId, long Id)>(
                "SELECT case_id, agency_id, id FROM agency_returns WHERE audit_id = @auditId", new { auditId }, tx))
            .ToDictionary(r => (r.CaseId, r.AgencyId), r => r.Id);

        await AnswerWriter.InsertManyAsync(connection, tx,
            package.Returns.SelectMany(r =>
            {
                var returnId = returnIds[(caseIds[r.Case], agencyIds[r.Agency])];
                return r.Answers.Keys.Union(r.Evidence.Keys).Select(key =>
                    (returnId, questionIds[key], Answers.Encode(r.Answers.GetValueOrDefault(key)), r.Evidence.GetValueOrDefault(key)));
            }),
            nowUtc, userId, many: package.Returns.Sum(r => (long)r.Answers.Count) >= ManyAnswers);

        await connection.ExecuteAsync("""
            INSERT INTO moderations (case_id, question_key, value, rationale, moderated_by, moderated_utc)
            VALUES (@caseId, @Question, @Value, @Rationale, @userId, @now)
            ON CONFLICT (case_id, question_key) DO UPDATE SET value = excluded.value, rationale = excluded.rationale
            """, package.Moderation.Select(m => new { caseId = caseIds[m.Case], m.Question, m.Value, m.Rationale, userId, now }), tx);

        var findingIds = new List<long>();
        foreach (var (f, i) in package.Findings.Select((f, i) => (f, i)))
        {
            findingIds.Add(await connection.ExecuteScalarAsync<long>("""
                INSERT INTO findings (audit_id, kind, title, narrative, position, question_keys_json, themes_json, source, created_utc, updated_utc)
                VALUES (@auditId, @Kind, @Title, @Narrative, @i, @questions, @themes, 'scrutineer', @now, @now) RETURNING id
                """, new { auditId, f.Kind, f.Title, f.Narrative, i, questions = JsonSerializer.Serialize(f.Questions), themes = JsonSerializer.Serialize(f.Themes), now }, tx));
        }

        await connection.ExecuteAsync("""
            INSERT INTO actions (audit_id, finding_id, description, owner_agency_id, due_date, status, created_utc, updated_utc)
            VALUES (@auditId, @findingId, @Description, @owner, @due, @Status, @now, @now)
            """,
            package.Actions.Select(x => new
            {
                auditId,
                findingId = x.Finding is { } f ? findingIds[f] : (long?)null,
                x.Description,
                owner = x.OwnerAgency is { } o ? agencyIds[o] : (long?)null,
                due = Utc.FormatDate(x.Due),
                x.Status,
                now,
            }),
            tx);

        await connection.ExecuteAsync("""
            INSERT INTO concerns (audit_id, case_id, raised_agency_id, description, told, state, raised_by_name, raised_utc,
                                  acknowledged_name, acknowledged_utc, action_taken, action_name, action_utc, closed_name, closed_utc)
            VALUES (@auditId, @caseId, @agencyId, @Description, @Told, @State, @RaisedByName, @raised,
                    @AcknowledgedByName, @acknowledged, @ActionTaken, @ActionByName, @acted, @ClosedByName, @closed)
            """,
            package.Concerns.Select(c => new
            {
                auditId,
                caseId = caseIds[c.CaseRef],
                agencyId = c.RaisedAgencyKey is { } k ? agencyIds[k] : (long?)null,
                c.Description,
                c.Told,
                c.State,
                c.RaisedByName,
                raised = Utc.Format(c.RaisedUtc),
                c.AcknowledgedByName,
                acknowledged = Utc.Format(c.AcknowledgedUtc),
                c.ActionTaken,
                c.ActionByName,
                acted = Utc.Format(c.ActionUtc),
                c.ClosedByName,
                closed = Utc.Format(c.ClosedUtc),
            }),
            tx);

        await tx.CommitAsync();
        return auditId;
    }

    public async Task<IReadOnlyList<PackagedConcern>> GetConcernsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<ConcernRow>("""
            SELECT c.ref AS CaseRef, g.key AS RaisedAgencyKey, x.description AS Description, x.told AS Told, x.state AS State,
                   x.raised_by_name AS RaisedByName, x.raised_utc AS RaisedUtc, x.acknowledged_name AS AcknowledgedByName,
                   x.acknowledged_utc AS AcknowledgedUtc, x.action_taken AS ActionTaken, x.action_name AS ActionByName,
                   x.action_utc AS ActionUtc, x.closed_name AS ClosedByName, x.closed_utc AS ClosedUtc
            FROM concerns x JOIN audit_cases c ON c.id = x.case_id LEFT JOIN agencies g ON g.id = x.raised_agency_id
            WHERE x.audit_id = @auditId ORDER BY x.raised_utc, x.id
            """, new { auditId });
        return rows.Select(r => new PackagedConcern(r.CaseRef, r.RaisedAgencyKey, r.Description, r.Told, r.State, r.RaisedByName,
            Utc.Parse(r.RaisedUtc), r.AcknowledgedByName, Utc.ParseOrNull(r.AcknowledgedUtc), r.ActionTaken, r.ActionByName,
            Utc.ParseOrNull(r.ActionUtc), r.ClosedByName, Utc.ParseOrNull(r.ClosedUtc))).ToList();
    }

    private sealed class ConcernRow
    {
        public string CaseRef { get; set; } = string.Empty;
        public string? RaisedAgencyKey { get; set; }
        public string Description { get; set; } = string.Empty;
        public string Told { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public string RaisedByName { get; set; } = string.Empty;
        public string RaisedUtc { get; set; } = string.Empty;
        public string? AcknowledgedByName { get; set; }
        public string? AcknowledgedUtc { get; set; }
        public string? ActionTaken { get; set; }
        public string? ActionByName { get; set; }
        public string? ActionUtc { get; set; }
        public string? ClosedByName { get; set; }
        public string? ClosedUtc { get; set; }
    }

    public async Task<IReadOnlyList<PackageModeration>> GetModerationAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(string Case, string Question, string Value, string Rationale)>("""
            SELECT c.ref, m.question_key, m.value, m.rationale
            FROM moderations m JOIN audit_cases c ON c.id = m.case_id
            WHERE c.audit_id = @auditId ORDER BY c.position, c.id, m.question_key
            """, new { auditId });
        return rows.Select(r => new PackageModeration(r.Case, r.Question, r.Value, r.Rationale)).ToList();
    }

    public async Task<IReadOnlyList<PackageFinding>> GetFindingsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(string Kind, string Title, string Narrative, string Questions, string Themes)>("""
            SELECT kind, title, narrative, question_keys_json, themes_json FROM findings WHERE audit_id = @auditId ORDER BY position, id
            """, new { auditId });
        return rows.Select(r => new PackageFinding(r.Kind, r.Title, r.Narrative, Strings(r.Questions), Strings(r.Themes))).ToList();
    }

    public async Task<IReadOnlyList<PackageAction>> GetActionsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var findings = (await connection.QueryAsync<long>(
            "SELECT id FROM findings WHERE audit_id = @auditId ORDER BY position, id", new { auditId })).ToList();
        var rows = await connection.QueryAsync<ActionRow>("""
            SELECT a.description AS Description, g.key AS OwnerAgency, a.due_date AS Due, a.status AS Status, a.finding_id AS FindingId
            FROM actions a LEFT JOIN agencies g ON g.id = a.owner_agency_id
            WHERE a.audit_id = @auditId ORDER BY a.id
            """, new { auditId });
        return rows.Select(r => new PackageAction(r.Description, r.OwnerAgency, Utc.ParseDate(r.Due), r.Status,
            r.FindingId is { } f && findings.IndexOf(f) is var i and >= 0 ? i : null)).ToList();
    }

    public async Task<IReadOnlyList<long>> FindAuditsByTitleAsync(string title)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<long>("SELECT id FROM audits WHERE title = @title", new { title })).ToList();
    }

    private static IReadOnlyList<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private sealed class ActionRow
    {
        public string Description { get; set; } = string.Empty;
        public string? OwnerAgency { get; set; }
        public string? Due { get; set; }
        public string Status { get; set; } = string.Empty;
        public long? FindingId { get; set; }
    }
}
