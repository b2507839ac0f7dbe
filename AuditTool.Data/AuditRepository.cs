using System.Data.Common;
using System.Text.Json;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

public sealed class AuditRepository(ConnectionFactory factory) : IAuditRepository
{
    private const string AuditColumns = """
        id AS Id, title AS Title, kind AS Kind, template_version_id AS TemplateVersionId, baseline_audit_id AS BaselineAuditId,
        purpose AS Purpose, sample_criteria AS SampleCriteria, sample_criteria_json AS SampleCriteriaJson, sample_seed AS SampleSeed,
        sample_size AS SampleSize, cohort_size AS CohortSize, cohort_file AS CohortFile, deadline AS Deadline,
        strength_threshold AS StrengthThreshold, development_threshold AS DevelopmentThreshold, minimum_count AS MinimumCount,
        reliability_threshold AS ReliabilityThreshold, status AS Status, created_by AS CreatedBy, created_utc AS CreatedUtc, updated_utc AS UpdatedUtc, published_utc AS PublishedUtc
        """;

    private const string ReturnColumns = """
        r.id AS Id, r.audit_id AS AuditId, r.case_id AS CaseId, c.ref AS CaseRef, r.agency_id AS AgencyId,
        r.auditor_user_id AS AuditorUserId, r.status AS Status, r.returned_comment AS ReturnedComment,
        r.submitted_utc AS SubmittedUtc, r.updated_utc AS UpdatedUtc
        """;

    public async Task<long> CreateAsync(Audit audit, IReadOnlyList<long> agencyIds)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>($"""
            INSERT INTO audits (title, kind, template_version_id, baseline_audit_id, purpose, sample_criteria, sample_criteria_json,
                sample_seed, sample_size, cohort_size, cohort_file, deadline, strength_threshold, development_threshold, minimum_count,
                reliability_threshold, status, created_by, created_utc, updated_utc, published_utc)
            VALUES (@Title, @Kind, @TemplateVersionId, @BaselineAuditId, @Purpose, @SampleCriteria, @SampleCriteriaJson,
                @SampleSeed, @SampleSize, @CohortSize, @CohortFile, @Deadline, @StrengthThreshold, @DevelopmentThreshold, @MinimumCount,
                @ReliabilityThreshold, @Status, @CreatedBy, @CreatedUtc, @UpdatedUtc, @PublishedUtc)
            RETURNING id
            """, Parameters(audit), tx);
        await InsertAgenciesAsync(connection, tx, id, agencyIds);
        await tx.CommitAsync();
        return id;
    }

    public async Task<Audit?> GetByIdAsync(long id)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<AuditRow>($"SELECT {AuditColumns} FROM audits WHERE id = @id", new { id });
        return row?.ToAudit();
    }

    public async Task<IReadOnlyList<Audit>> GetManyAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<AuditRow>($"SELECT {AuditColumns} FROM audits ORDER BY created_utc DESC, id DESC");
        return rows.Select(r => r.ToAudit()).ToList();
    }

    public async Task<bool> ReplaceAsync(Audit audit, AuditLogEntry log, AuditTool.Domain.Aggregation.StoredFigures? figures = null)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var saved = await connection.ExecuteAsync("""
            UPDATE audits SET title = @Title, kind = @Kind, baseline_audit_id = @BaselineAuditId, purpose = @Purpose,
                sample_criteria = @SampleCriteria, sample_criteria_json = @SampleCriteriaJson, sample_seed = @SampleSeed,
                sample_size = @SampleSize, cohort_size = @CohortSize, cohort_file = @CohortFile, deadline = @Deadline,
                strength_threshold = @StrengthThreshold, development_threshold = @DevelopmentThreshold, minimum_count = @MinimumCount,
                reliability_threshold = @ReliabilityThreshold, status = @Status, updated_utc = @UpdatedUtc, published_utc = @PublishedUtc,
                closed_utc = CASE WHEN @Status = 'closed' THEN COALESCE(closed_utc, @UpdatedUtc) ELSE NULL END,
                changes = changes + 1
            WHERE id = @Id AND updated_utc = @ReadVersion
            """, Parameters(audit), tx);
        if (saved != 1)
        {
            return false;
        }

        if (figures is not null)
        {
            await FiguresStore.WriteAsync(connection, tx, audit.Id, figures with
            {
                Changes = await connection.ExecuteScalarAsync<long>("SELECT changes FROM audits WHERE id = @Id", new { audit.Id }, tx),
            });
        }

        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyList<long>> GetAgencyIdsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<long>(
            "SELECT agency_id FROM audit_agencies WHERE audit_id = @auditId ORDER BY agency_id", new { auditId })).ToList();
    }

    public async Task SetAgenciesAsync(long auditId, IReadOnlyList<long> agencyIds)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        await connection.ExecuteAsync("DELETE FROM audit_agencies WHERE audit_id = @auditId", new { auditId }, tx);
        await InsertAgenciesAsync(connection, tx, auditId, agencyIds);
        await FiguresStore.CountChangeAsync(connection, tx, auditId);
        await tx.CommitAsync();
    }

    public async Task ReplaceCohortAsync(long auditId, IReadOnlyList<CohortEntry> cohort)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        await connection.ExecuteAsync("DELETE FROM audit_cohort WHERE audit_id = @auditId", new { auditId }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO audit_cohort (audit_id, position, ref, attributes_json) VALUES (@auditId, @Position, @Ref, @Attributes)",
            cohort.Select(c => new { auditId, c.Position, c.Ref, Attributes = JsonSerializer.Serialize(c.Attributes) }), tx);
        await tx.CommitAsync();
    }

    public async Task<IReadOnlyList<CohortEntry>> GetCohortAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long Position, string Ref, string Attributes)>(
            "SELECT position, ref, attributes_json FROM audit_cohort WHERE audit_id = @auditId ORDER BY position", new { auditId });
        return rows.Select(r => new CohortEntry((int)r.Position, r.Ref, Attributes(r.Attributes))).ToList();
    }

    public async Task<IReadOnlyList<AuditCase>> GetCasesAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<CaseRow>("""
            SELECT id AS Id, audit_id AS AuditId, ref AS Ref, attributes_json AS AttributesJson, source AS Source, position AS Position
            FROM audit_cases WHERE audit_id = @auditId ORDER BY position, id
            """, new { auditId });
        return rows.Select(r => new AuditCase(r.Id, r.AuditId, r.Ref, Attributes(r.AttributesJson), r.Source, (int)r.Position)).ToList();
    }

    public async Task<IReadOnlyList<long>> AddCasesAsync(long auditId, IReadOnlyList<NewCase> cases, IReadOnlyList<long> agencyIds, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var position = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM audit_cases WHERE audit_id = @auditId", new { auditId }, tx);
        var ids = new List<long>();
        var stamp = Utc.Format(now);
        foreach (var c in cases)
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO audit_cases (audit_id, ref, attributes_json, source, position)
                VALUES (@auditId, @Ref, @attributes, @Source, @position)
                RETURNING id
                """, new { auditId, c.Ref, attributes = JsonSerializer.Serialize(c.Attributes), c.Source, position = position++ }, tx);
            ids.Add(id);
            await connection.ExecuteAsync("""
                INSERT INTO agency_returns (audit_id, case_id, agency_id, status, updated_utc)
                VALUES (@auditId, @id, @agencyId, 'not-started', @stamp)
                """, agencyIds.Select(agencyId => new { auditId, id, agencyId, stamp }), tx);
        }

        await FiguresStore.CountChangeAsync(connection, tx, auditId);
        await tx.CommitAsync();
        return ids;
    }

    public async Task<bool> RemoveCaseAsync(long auditId, long caseId)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var answered = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM answers a JOIN agency_returns r ON r.id = a.return_id
            WHERE r.case_id = @caseId AND r.audit_id = @auditId
            """, new { auditId, caseId }, tx);
        if (answered > 0)
        {
            return false;
        }

        var removed = await connection.ExecuteAsync("DELETE FROM audit_cases WHERE id = @caseId AND audit_id = @auditId", new { auditId, caseId }, tx);
        await FiguresStore.CountChangeAsync(connection, tx, auditId);
        await tx.CommitAsync();
        return removed == 1;
    }

    public async Task<IReadOnlyList<long>> SetCaseAgenciesAsync(long auditId, long caseId, IReadOnlyList<long> agencyIds, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var existing = (await connection.QueryAsync<(long Id, long AgencyId, long Answers)>("""
            SELECT r.id, r.agency_id, (SELECT COUNT(*) FROM answers a WHERE a.return_id = r.id)
            FROM agency_returns r WHERE r.case_id = @caseId AND r.audit_id = @auditId
            """, new { auditId, caseId }, tx)).ToList();
        var kept = new List<long>();
        foreach (var r in existing.Where(r => !agencyIds.Contains(r.AgencyId)))
        {
            if (r.Answers > 0)
            {
                kept.Add(r.AgencyId);
                continue;
            }

            await connection.ExecuteAsync("DELETE FROM agency_returns WHERE id = @Id", new { r.Id }, tx);
        }

        var stamp = Utc.Format(now);
        await connection.ExecuteAsync("""
            INSERT INTO agency_returns (audit_id, case_id, agency_id, status, updated_utc)
            VALUES (@auditId, @caseId, @agencyId, 'not-started', @stamp)
            ON CONFLICT (case_id, agency_id) DO NOTHING
            """, agencyIds.Select(agencyId => new { auditId, caseId, agencyId, stamp }), tx);
        await FiguresStore.CountChangeAsync(connection, tx, auditId);
        await tx.CommitAsync();
        return kept;
    }

    public async Task<IReadOnlyList<AgencyReturn>> GetReturnsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<ReturnRow>($"""
            SELECT {ReturnColumns} FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id
            WHERE r.audit_id = @auditId ORDER BY c.position, c.id, r.agency_id
            """, new { auditId });
        return rows.Select(r => r.ToReturn()).ToList();
    }

    public async Task<AgencyReturn?> GetReturnAsync(long returnId)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<ReturnRow>($"""
            SELECT {ReturnColumns} FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id WHERE r.id = @returnId
            """, new { returnId });
        return row?.ToReturn();
    }

    public async Task SetAuditorAsync(long returnId, long? userId, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("UPDATE agency_returns SET auditor_user_id = @userId, updated_utc = @now WHERE id = @returnId",
            new { returnId, userId, now = Utc.Format(now) });
    }

    public async Task<IReadOnlyList<StoredAnswer>> GetAnswersAsync(long returnId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<AnswerRow>("""
            SELECT a.return_id AS ReturnId, q.key AS QuestionKey, a.value AS Value, a.evidence AS Evidence,
                   a.updated_utc AS UpdatedUtc, a.updated_by AS UpdatedBy
            FROM answers a JOIN template_questions q ON q.id = a.question_id WHERE a.return_id = @returnId
            """, new { returnId });
        return rows.Select(r => r.ToAnswer()).ToList();
    }

    public async Task<StoredAnswer?> GetAnswerAsync(long returnId, string questionKey)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<AnswerRow>("""
            SELECT a.return_id AS ReturnId, q.key AS QuestionKey, a.value AS Value, a.evidence AS Evidence,
                   a.updated_utc AS UpdatedUtc, a.updated_by AS UpdatedBy
            FROM answers a JOIN template_questions q ON q.id = a.question_id WHERE a.return_id = @returnId AND q.key = @questionKey
            """, new { returnId, questionKey });
        return row?.ToAnswer();
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<StoredAnswer>>> GetAnswersByAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<AnswerRow>("""
            SELECT a.return_id AS ReturnId, q.key AS QuestionKey, a.value AS Value, a.evidence AS Evidence,
                   a.updated_utc AS UpdatedUtc, a.updated_by AS UpdatedBy
            FROM answers a JOIN agency_returns r ON r.id = a.return_id JOIN template_questions q ON q.id = a.question_id
            WHERE r.audit_id = @auditId
            """, new { auditId });
        return rows.GroupBy(r => r.ReturnId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<StoredAnswer>)g.Select(r => r.ToAnswer()).ToList());
    }

    public async Task<bool> SetReturnStatusAsync(long returnId, string fromStatus, string toStatus, string? comment, DateTimeOffset now,
        AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var subject = await AuditLogWriter.SubjectOfReturnAsync(connection, tx, returnId);
        if (subject is null || !await ReturnStatusWriter.MoveAsync(connection, tx, returnId, fromStatus, toStatus, comment, now, log, subject))
        {
            return false;
        }

        await FiguresStore.CountChangeAsync(connection, tx, subject.AuditId!.Value);
        await tx.CommitAsync();
        return true;
    }

    public async Task<SaveResult> SaveFieldAsync(FieldSave save, Func<FieldSaveContext, string?> decide)
    {
        var postgres = factory.Engine == DatabaseEngine.Postgres;
        using var connection = await factory.OpenAsync();
        // The transaction is begun and ended in the statements themselves, so that it costs no round trips of its own:
        // the first takes the write lock (as BeginWrite's does) and reads, the second writes and commits.
        var begin = postgres
            ? "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT count(*) FROM (SELECT pg_advisory_xact_lock(@lockKey)) AS l;"
            : "BEGIN IMMEDIATE; SELECT 1;";
        var committed = false;
        try
        {
            var field = save.IsValue ? "value" : "evidence";
            FieldSaveContext context;
            string previousHash;
            SaveTargetRow? target;
            using (var grid = await connection.QueryMultipleAsync($"""
                {begin}
                SELECT {ReturnColumns} FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id WHERE r.id = @returnId;
                SELECT {AuditColumns} FROM audits WHERE id = (SELECT audit_id FROM agency_returns WHERE id = @returnId);
                SELECT g.kind AS AgencyKind, g.key AS AgencyKey, q.id AS QuestionId, x.{field} AS Before
                FROM agency_returns r JOIN agencies g ON g.id = r.agency_id JOIN audits a ON a.id = r.audit_id
                LEFT JOIN template_questions q ON q.template_version_id = a.template_version_id AND q.key = @questionKey
                LEFT JOIN answers x ON x.return_id = r.id AND x.question_id = q.id
                WHERE r.id = @returnId;
                SELECT a.return_id AS ReturnId, q.key AS QuestionKey, a.value AS Value, a.evidence AS Evidence,
                       a.updated_utc AS UpdatedUtc, a.updated_by AS UpdatedBy
                FROM answers a JOIN template_questions q ON q.id = a.question_id WHERE a.return_id = @returnId;
                SELECT {UserRepository.Columns} FROM users WHERE id = @userId;
                {AuditLogWriter.LastHashSql};
                """, new { lockKey = ConnectionFactory.WriteLockKey, returnId = save.ReturnId, questionKey = save.QuestionKey, userId = save.UserId ?? -1 }))
            {
                await grid.ReadAsync<long>();
                var found = (await grid.ReadAsync<ReturnRow>()).SingleOrDefault()?.ToReturn();
                var audit = (await grid.ReadAsync<AuditRow>()).SingleOrDefault()?.ToAudit();
                target = (await grid.ReadAsync<SaveTargetRow>()).SingleOrDefault();
                var answers = (await grid.ReadAsync<AnswerRow>()).Select(a => a.ToAnswer()).ToList();
                var saver = (await grid.ReadAsync<UserRepository.UserRow>()).SingleOrDefault()?.ToUser();
                previousHash = (await grid.ReadAsync<string>()).SingleOrDefault() ?? AuditTool.Domain.Logging.AuditLogChain.Origin;
                context = new FieldSaveContext(save.UserId is null ? null : saver, found, audit, target?.AgencyKind, target?.QuestionId, target?.Before, answers);
            }

            var text = decide(context);
            var ret = context.Return ?? throw new InvalidOperationException("A save was decided without its return.");
            var questionId = context.QuestionId ?? throw new InvalidOperationException($"Return {save.ReturnId}'s template has no question '{save.QuestionKey}'.");
            var next = ret.Status == ReturnStatuses.NotStarted ? ReturnStatuses.InProgress : ret.Status;

            // The one round trip that writes: the field, its log line (chained to the last, read under the lock), the
            // return's start or its time, the audit's change counter for a value, the news for other servers, the commit.
            var batch = new StatementBatch();
            batch.Add(AnswerWriter.Statement(save.ReturnId, questionId, save.IsValue, text, save.Now, save.UserId));
            var (logSql, logParameters, _) = AuditLogWriter.Statement(new AuditLogEntry(save.Now, save.UserId, save.UserName, "update",
                save.IsValue ? "answer" : "evidence", $"{save.ReturnId}/{save.QuestionKey}", context.Before, text,
                new LogSubject(ret.AuditId, ret.CaseRef, target!.AgencyKey), CaseContent: true), previousHash);
            batch.Add((logSql, logParameters));
            batch.Add(next != ret.Status
                ? ReturnStatusWriter.Statement(save.ReturnId, ret.Status, next, null, save.Now)
                : ("UPDATE agency_returns SET updated_utc = @now WHERE id = @returnId",
                    new Dictionary<string, object?> { ["now"] = Utc.Format(save.Now), ["returnId"] = save.ReturnId }));
            if (save.IsValue)
            {
                // An answer moves the audit's change counter (its figures may change); an evidence note does not.
                batch.Add((FiguresStore.CountChangeSql, new Dictionary<string, object?> { ["auditId"] = ret.AuditId }));
            }

            if (postgres && save.News is { } news)
            {
                batch.Add(("SELECT pg_notify(@newsChannel, @newsPayload)",
                    new Dictionary<string, object?> { ["newsChannel"] = news.Channel, ["newsPayload"] = news.Payload }));
            }

            batch.Add(("COMMIT", new Dictionary<string, object?>()));
            await connection.ExecuteAsync(batch.Sql, StatementBatch.ToDapper(batch.Parameters));
            committed = true;
            return new SaveResult(next, save.Now);
        }
        finally
        {
            if (!committed)
            {
                await RollBackAsync(connection);
            }
        }
    }

    /// <summary>Ends a transaction begun in SQL that did not commit (a refusal, a failure); a no-op if none is open.</summary>
    private static async Task RollBackAsync(DbConnection connection)
    {
        try
        {
            await connection.ExecuteAsync("ROLLBACK");
        }
        catch (DbException)
        {
            // No transaction was open (the failure came before BEGIN ran, or ended it): nothing to undo.
        }
    }

    private static async Task InsertAgenciesAsync(DbConnection connection, DbTransaction tx, long auditId, IReadOnlyList<long> agencyIds) =>
        await connection.ExecuteAsync("INSERT INTO audit_agencies (audit_id, agency_id) VALUES (@auditId, @agencyId)",
            agencyIds.Distinct().Select(agencyId => new { auditId, agencyId }), tx);

    private static IReadOnlyDictionary<string, string> Attributes(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    private static object Parameters(Audit a) => new
    {
        a.Id,
        a.Title,
        a.Kind,
        a.TemplateVersionId,
        a.BaselineAuditId,
        a.Purpose,
        SampleCriteria = a.SampleCriteriaText,
        a.SampleCriteriaJson,
        a.SampleSeed,
        a.SampleSize,
        a.CohortSize,
        a.CohortFile,
        Deadline = Utc.FormatDate(a.Deadline),
        StrengthThreshold = a.Thresholds.Strength,
        DevelopmentThreshold = a.Thresholds.Development,
        a.Thresholds.MinimumCount,
        ReliabilityThreshold = a.Thresholds.Reliability,
        a.Status,
        a.CreatedBy,
        CreatedUtc = Utc.Format(a.CreatedUtc),
        UpdatedUtc = Utc.Format(a.UpdatedUtc),
        PublishedUtc = Utc.Format(a.PublishedUtc),
        ReadVersion = Utc.Format(a.ReadVersion),
    };

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Kind { get; set; } = string.Empty;
        public long TemplateVersionId { get; set; }
        public long? BaselineAuditId { get; set; }
        public string Purpose { get; set; } = string.Empty;
        public string SampleCriteria { get; set; } = string.Empty;
        public string? SampleCriteriaJson { get; set; }
        public long? SampleSeed { get; set; }
        public long? SampleSize { get; set; }
        public long? CohortSize { get; set; }
        public string? CohortFile { get; set; }
        public string? Deadline { get; set; }
        public double StrengthThreshold { get; set; }
        public double DevelopmentThreshold { get; set; }
        public long MinimumCount { get; set; }
        public double ReliabilityThreshold { get; set; }
        public string Status { get; set; } = string.Empty;
        public long? CreatedBy { get; set; }
        public string CreatedUtc { get; set; } = string.Empty;
        public string UpdatedUtc { get; set; } = string.Empty;
        public string? PublishedUtc { get; set; }

        public Audit ToAudit() => Audit.Load(Id, Title, Kind, TemplateVersionId, BaselineAuditId, Purpose, SampleCriteria,
            SampleCriteriaJson, SampleSeed, (int?)SampleSize, (int?)CohortSize, CohortFile, Utc.ParseDate(Deadline),
            new Thresholds(StrengthThreshold, DevelopmentThreshold, (int)MinimumCount, ReliabilityThreshold), Status, CreatedBy,
            Utc.Parse(CreatedUtc), Utc.Parse(UpdatedUtc), Utc.ParseOrNull(PublishedUtc));
    }

    private sealed class CaseRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string Ref { get; set; } = string.Empty;
        public string AttributesJson { get; set; } = string.Empty;
        public string Source { get; set; } = string.Empty;
        public long Position { get; set; }
    }

    private sealed class ReturnRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public long CaseId { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public long AgencyId { get; set; }
        public long? AuditorUserId { get; set; }
        public string Status { get; set; } = string.Empty;
        public string? ReturnedComment { get; set; }
        public string? SubmittedUtc { get; set; }
        public string UpdatedUtc { get; set; } = string.Empty;

        public AgencyReturn ToReturn() => new(Id, AuditId, CaseId, CaseRef, AgencyId, AuditorUserId, Status, ReturnedComment,
            Utc.ParseOrNull(SubmittedUtc), Utc.Parse(UpdatedUtc));
    }

    private sealed class SaveTargetRow
    {
        public string AgencyKind { get; set; } = string.Empty;
        public string AgencyKey { get; set; } = string.Empty;
        public long? QuestionId { get; set; }
        public string? Before { get; set; }
    }

    private sealed class AnswerRow
    {
        public long ReturnId { get; set; }
        public string QuestionKey { get; set; } = string.Empty;
        public string? Value { get; set; }
        public string? Evidence { get; set; }
        public string UpdatedUtc { get; set; } = string.Empty;
        public long? UpdatedBy { get; set; }

        public StoredAnswer ToAnswer() => new(QuestionKey, Value, Evidence, Utc.Parse(UpdatedUtc), UpdatedBy);
    }
}
