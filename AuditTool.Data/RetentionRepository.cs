using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Retention policies, legal holds and disposal. Disposal destroys values in place in one transaction per audit and
/// stage: the rows' columns, the same values in the audit log and the outbox, then re-computes the log's hash chain from
/// the first line it changed (recorded in audit_log_anchors, which verify-audit-log reports), and writes the disposal
/// record last. On SQLite the connection overwrites freed space (secure_delete), the file is rebuilt (VACUUM) and the write-ahead log emptied after.
/// </summary>
public sealed class RetentionRepository(ConnectionFactory factory) : IRetentionRepository
{
    public const string Removed = "(removed under the retention policy)";

    private const string AuditColumns = """
        id AS Id, title AS Title, status AS Status, published_utc AS PublishedUtc, closed_utc AS ClosedUtc,
        notes_retention_months AS NotesMonths, answers_retention_months AS AnswersMonths,
        notes_disposed_utc AS NotesDisposedUtc, answers_disposed_utc AS AnswersDisposedUtc
        FROM audits
        """;

    public async Task<IReadOnlyList<RetentionAudit>> GetAuditsAsync()
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<AuditRow>($"SELECT {AuditColumns} ORDER BY id")).Select(r => r.ToAudit()).ToList();
    }

    public async Task<RetentionAudit?> GetAuditAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<AuditRow>($"SELECT {AuditColumns} WHERE id = @auditId", new { auditId }))?.ToAudit();
    }

    public async Task<IReadOnlyList<LegalHold>> GetHoldsAsync(bool includeReleased)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<HoldRow>("""
            SELECT h.id AS Id, h.audit_id AS AuditId, a.title AS AuditTitle, h.case_ref AS CaseRef, h.reason AS Reason,
                   h.placed_by AS PlacedBy, h.placed_utc AS PlacedUtc, h.released_by AS ReleasedBy, h.released_utc AS ReleasedUtc,
                   h.release_reason AS ReleaseReason
            FROM legal_holds h LEFT JOIN audits a ON a.id = h.audit_id
            WHERE @includeReleased = 1 OR h.released_utc IS NULL
            ORDER BY h.id
            """, new { includeReleased = includeReleased ? 1 : 0 });
        return rows.Select(r => r.ToHold()).ToList();
    }

    public async Task<long> PlaceHoldAsync(long? auditId, string? caseRef, string reason, string placedBy, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO legal_holds (audit_id, case_ref, reason, placed_by, placed_utc) VALUES (@auditId, @caseRef, @reason, @placedBy, @at)
            RETURNING id
            """, new { auditId, caseRef, reason, placedBy, at = Utc.Format(now) }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log with { EntityId = id.ToString(CultureInfo.InvariantCulture) });
        await tx.CommitAsync();
        return id;
    }

    public async Task<bool> ReleaseHoldAsync(long holdId, string releasedBy, string reason, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var changed = await connection.ExecuteAsync("""
            UPDATE legal_holds SET released_by = @releasedBy, released_utc = @at, release_reason = @reason
            WHERE id = @holdId AND released_utc IS NULL
            """, new { holdId, releasedBy, reason, at = Utc.Format(now) }, tx);
        if (changed == 1)
        {
            await AuditLogWriter.WriteAsync(connection, tx, log);
        }

        await tx.CommitAsync();
        return changed == 1;
    }

    public async Task SetPolicyAsync(long auditId, int? notesMonths, int? answersMonths, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        await connection.ExecuteAsync("UPDATE audits SET notes_retention_months = @notesMonths, answers_retention_months = @answersMonths WHERE id = @auditId",
            new { auditId, notesMonths, answersMonths }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
    }

    public async Task<IReadOnlyList<string>> GetCaseRefsAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT ref FROM audit_cases WHERE audit_id = @auditId ORDER BY position, id", new { auditId })).ToList();
    }

    public async Task<DisposalCounts> DisposeAsync(DisposalRequest request)
    {
        using var connection = await factory.OpenAsync();
        if (factory.Engine == DatabaseEngine.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA secure_delete = ON");
        }

        DisposalCounts counts;
        using (var tx = await factory.BeginWriteAsync(connection))
        {
            counts = await DisposeInAsync(connection, tx, request);
            if (request.DryRun || counts.Total == 0)
            {
                await tx.RollbackAsync();
                return counts;
            }

            await tx.CommitAsync();
        }

        if (factory.Engine == DatabaseEngine.Sqlite)
        {
            // Earlier versions of the rows (from edits made before, in free space of the file) go with a rebuild of the
            // file; then the old pages leave the write-ahead log.
            await connection.ExecuteAsync("VACUUM");
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return counts;
    }

    /// <summary>Not among a list parameter (<see cref="ConnectionFactory.In"/>).</summary>
    private string NotIn(string column, string parameter) => $"NOT ({factory.In(column, parameter)})";

    private async Task<DisposalCounts> DisposeInAsync(DbConnection connection, DbTransaction tx, DisposalRequest request)
    {
        var auditId = request.AuditId;
        var held = request.HeldCaseRefs.ToArray();
        // What is destroyed, to find it again wherever else it was copied (the audit log, the outbox).
        var destroyed = new List<string>();
        var newRefs = new Dictionary<string, string>(StringComparer.Ordinal);
        int evidence = 0, rationales = 0, comments = 0, answers = 0, attributes = 0, cohort = 0, concernTexts = 0;
        var openReturns = $"""
            SELECT r.id FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id
            WHERE r.audit_id = @auditId AND {NotIn("c.ref", "held")}
            """;
        if (request.Stage == RetentionStage.Notes)
        {
            destroyed.AddRange(await connection.QueryAsync<string>(
                $"SELECT evidence FROM answers WHERE evidence IS NOT NULL AND return_id IN ({openReturns})", new { auditId, held }, tx));
            evidence = await connection.ExecuteAsync(
                $"UPDATE answers SET evidence = NULL WHERE evidence IS NOT NULL AND return_id IN ({openReturns})", new { auditId, held }, tx);
            var moderated = $"SELECT id FROM audit_cases WHERE audit_id = @auditId AND {NotIn("ref", "held")}";
            destroyed.AddRange(await connection.QueryAsync<string>(
                $"SELECT rationale FROM moderations WHERE rationale <> '' AND case_id IN ({moderated})", new { auditId, held }, tx));
            rationales = await connection.ExecuteAsync(
                $"UPDATE moderations SET rationale = '' WHERE rationale <> '' AND case_id IN ({moderated})", new { auditId, held }, tx);
            destroyed.AddRange(await connection.QueryAsync<string>(
                $"SELECT returned_comment FROM agency_returns WHERE returned_comment IS NOT NULL AND id IN ({openReturns})", new { auditId, held }, tx));
            comments = await connection.ExecuteAsync(
                $"UPDATE agency_returns SET returned_comment = NULL WHERE returned_comment IS NOT NULL AND id IN ({openReturns})", new { auditId, held }, tx);
            // Safeguarding concerns: the description, who was told and the action recorded go; the record (its steps, people
            // and times) stays, so the counts of concerns in the report are what they were.
            var concernsDue = $"""
                FROM concerns WHERE audit_id = @auditId AND case_id IN ({moderated})
                  AND (description <> @removed OR told <> '' OR (action_taken IS NOT NULL AND action_taken <> @removed))
                """;
            var concerns = (await connection.QueryAsync<(string Description, string Told, string? Action)>(
                $"SELECT description, told, action_taken {concernsDue}", new { auditId, held, removed = Removed }, tx)).ToList();
            foreach (var (description, told, action) in concerns)
            {
                destroyed.AddRange(new[] { description, told, action ?? "" }.Where(t => t.Length > 0 && t != Removed));
            }

            concernTexts = await connection.ExecuteAsync($"""
                UPDATE concerns SET description = @removed, told = '',
                    action_taken = CASE WHEN action_taken IS NULL THEN NULL ELSE @removed END
                WHERE id IN (SELECT id {concernsDue})
                """, new { auditId, held, removed = Removed }, tx);
        }
        else
        {
            var cases = await connection.QueryAsync<(long Id, string Ref, string Attributes)>(
                $"SELECT id, ref, attributes_json FROM audit_cases WHERE audit_id = @auditId AND {NotIn("ref", "held")} AND ref NOT LIKE 'disposed-%'",
                new { auditId, held }, tx);
            foreach (var (id, caseRef, attributesJson) in cases)
            {
                var token = "disposed-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
                newRefs[caseRef] = token;
                if (attributesJson is not ("{}" or ""))
                {
                    attributes++;
                }

                await connection.ExecuteAsync("UPDATE audit_cases SET ref = @token, attributes_json = '{}' WHERE id = @id", new { id, token }, tx);
            }

            answers = await connection.ExecuteAsync($"""
                UPDATE answers SET value = NULL
                WHERE value IS NOT NULL AND question_id IN (SELECT id FROM template_questions WHERE type IN ('text', 'date'))
                  AND return_id IN (SELECT r.id FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id
                                    WHERE r.audit_id = @auditId AND NOT {NotIn("c.ref", "tokens")})
                """, new { auditId, tokens = newRefs.Values.ToArray() }, tx);
            cohort = await connection.ExecuteAsync($"DELETE FROM audit_cohort WHERE audit_id = @auditId AND {NotIn("ref", "held")}", new { auditId, held }, tx);
            foreach (var (caseRef, token) in newRefs)
            {
                await connection.ExecuteAsync("UPDATE disclosures SET case_ref = @token WHERE audit_id = @auditId AND case_ref = @caseRef",
                    new { auditId, caseRef, token }, tx);
            }

            destroyed.AddRange(newRefs.Keys);
        }

        var lines = await BlankLogAsync(connection, tx, request, destroyed, newRefs);
        var outbox = await BlankOutboxAsync(connection, tx, auditId, destroyed);
        var figures = request.Stage == RetentionStage.Answers ? await PseudonymiseFiguresAsync(connection, tx, auditId, newRefs) : 0;
        var counts = new DisposalCounts(evidence, rationales, comments, newRefs.Count, answers, attributes, cohort, lines, outbox)
        {
            ConcernTexts = concernTexts,
            KeptFiguresPseudonymised = figures,
        };
        if (counts.Total == 0)
        {
            return counts;
        }

        var column = request.Stage == RetentionStage.Notes ? "notes_disposed_utc" : "answers_disposed_utc";
        if (held.Length == 0)
        {
            await connection.ExecuteAsync($"UPDATE audits SET {column} = @at WHERE id = @auditId", new { auditId, at = Utc.Format(request.Now) }, tx);
        }

        var record = new Dictionary<string, object?>
        {
            ["stage"] = request.Stage == RetentionStage.Notes ? "notes" : "answers",
            ["policy"] = request.Policy,
            ["heldCases"] = held.Length,
        };
        foreach (var (kind, count) in counts.Kinds())
        {
            record[kind] = count;
        }

        await AuditLogWriter.WriteAsync(connection, tx, new AuditLogEntry(request.Now, request.Actor.IsSystem ? null : request.Actor.UserId,
            request.Actor.UserName, "dispose", "audit", auditId.ToString(CultureInfo.InvariantCulture), null, JsonSerializer.Serialize(record)));
        return counts;
    }

    /// <summary>
    /// Blanks the values of the audit's log lines that held what is destroyed (and, for answers, gives their case
    /// reference its token), then re-computes the chain from the first line changed. The chain is checked first: a
    /// broken chain is not re-anchored over (disposal waits for it to be looked into).
    /// </summary>
    private async Task<int> BlankLogAsync(DbConnection connection, DbTransaction tx, DisposalRequest request, List<string> destroyed,
        Dictionary<string, string> newRefs)
    {
        var held = request.HeldCaseRefs;
        var candidates = (await connection.QueryAsync<LogRow>("""
            SELECT id AS Id, entity AS Entity, action AS Action, old_values AS OldValues, new_values AS NewValues, case_ref AS CaseRef,
                   case_content AS CaseContent
            FROM audit_log WHERE audit_id = @AuditId ORDER BY id
            """, new { request.AuditId }, tx)).ToList();
        // Notes are looked for when long enough to be themselves; a case reference whatever its length.
        var searched = destroyed.Where(d => d.Length >= 6).Concat(newRefs.Keys).Distinct(StringComparer.Ordinal).ToList();
        var changes = new Dictionary<long, (string? Old, string? New, string? CaseRef)>();
        foreach (var line in candidates)
        {
            if (line.CaseRef is { } r && held.Contains(r))
            {
                continue;
            }

            var notesLine = line.CaseContent == 1 && (line.Entity is "evidence" or "moderation" or "concern" || (line.Entity == "return" && line.Action == "return-for-amendment"));
            var blank = request.Stage == RetentionStage.Notes
                ? notesLine
                : line.CaseContent == 1 && line.Entity != "finding-quote";
            blank |= searched.Any(d => (line.OldValues?.Contains(d, StringComparison.Ordinal) ?? false) || (line.NewValues?.Contains(d, StringComparison.Ordinal) ?? false));
            blank &= line.OldValues is not null || line.NewValues is not null;
            var caseRef = line.CaseRef is { } c && newRefs.TryGetValue(c, out var token) ? token : line.CaseRef;
            if (blank || caseRef != line.CaseRef)
            {
                changes[line.Id] = (blank ? null : line.OldValues, blank ? null : line.NewValues, caseRef);
            }
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        var all = (await connection.QueryAsync<ChainRow>("""
            SELECT id AS Id, at_utc AS AtUtc, user_id AS UserId, user_name AS UserName, action AS Action, entity AS Entity,
                   entity_id AS EntityId, old_values AS OldValues, new_values AS NewValues, audit_id AS AuditId, case_ref AS CaseRef,
                   agency_key AS AgencyKey, case_content AS CaseContent, prev_hash AS PrevHash, hash AS Hash
            FROM audit_log ORDER BY id
            """, transaction: tx)).Select(r => r.ToLine()).ToList();
        var lastCheck = await connection.QuerySingleOrDefaultAsync<(long? LastId, string? LastHash)?>(
            "SELECT last_id, last_hash FROM audit_log_checks WHERE intact = 1 ORDER BY id DESC LIMIT 1", transaction: tx);
        var check = AuditLogChain.Verify(all, lastCheck is { LastId: { } lid, LastHash: { } lh } ? (lid, lh) : null);
        if (!check.Intact)
        {
            throw new DomainValidationException($"Disposal of audit {request.AuditId} waits: the audit log's chain is broken ({check.Message}) and is not re-anchored over until that is looked into.");
        }

        var at = Utc.Format(request.Now);
        var reason = $"disposal of audit {request.AuditId} ({(request.Stage == RetentionStage.Notes ? "notes" : "answers")})";
        var anchorId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO audit_log_anchors (at_utc, reason, audit_id, open) VALUES (@at, @reason, @AuditId, 1) RETURNING id",
            new { at, reason, request.AuditId }, tx);
        var first = changes.Keys.Min();
        var previous = AuditLogChain.Origin;
        var oldLast = all[^1].Hash;
        var rewrite = factory.Engine == DatabaseEngine.Postgres
            ? "SELECT audit_log_rewrite(@Id, @OldValues, @NewValues, @CaseRef, @PreviousHash, @Hash)"
            : "UPDATE audit_log SET old_values = @OldValues, new_values = @NewValues, case_ref = @CaseRef, prev_hash = @PreviousHash, hash = @Hash WHERE id = @Id";
        foreach (var line in all)
        {
            if (line.Id < first)
            {
                previous = line.Hash!;
                continue;
            }

            var changed = changes.TryGetValue(line.Id, out var c) ? line with { OldValues = c.Old, NewValues = c.New, CaseRef = c.CaseRef } : line;
            var hash = AuditLogChain.Hash(previous, changed);
            await connection.ExecuteAsync(rewrite, new { line.Id, changed.OldValues, changed.NewValues, changed.CaseRef, PreviousHash = previous, Hash = hash }, tx);
            previous = hash;
        }

        await connection.ExecuteAsync("""
            UPDATE audit_log_anchors SET first_id = @first, last_id = @last, old_last_hash = @oldLast, new_last_hash = @previous,
                lines_blanked = @blanked, open = 0
            WHERE id = @anchorId
            """, new { first, last = all[^1].Id, oldLast, previous, blanked = changes.Count, anchorId }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO audit_log_checks (at_utc, checked_by, entries, intact, first_broken_id, message, last_id, last_hash)
            VALUES (@at, 'disposal', @entries, 1, NULL, @message, @last, @previous)
            """, new
            {
                at,
                entries = (long)all.Count,
                message = $"Checked intact, then re-anchored from entry {first} for the {reason}: the values of {changes.Count} entries were blanked.",
                last = all[^1].Id,
                previous,
            }, tx);
        return changes.Count;
    }

    /// <summary>
    /// The kept figures (this audit's, and any audit's comparison with it as baseline) name the cases of their per-case
    /// rows: those names become the cases' tokens, the same as in audit_cases, as whole JSON strings, so every number,
    /// and everything the report, the Word report and trends show, stays what it was.
    /// </summary>
    private static async Task<int> PseudonymiseFiguresAsync(DbConnection connection, DbTransaction tx, long auditId, Dictionary<string, string> newRefs)
    {
        if (newRefs.Count == 0)
        {
            return 0;
        }

        var rows = await connection.QueryAsync<(long AuditId, string Figures, string? Baseline)>(
            "SELECT audit_id, figures_json, baseline_json FROM audit_figures", transaction: tx);
        var changed = 0;
        foreach (var (rowAudit, figures, baseline) in rows)
        {
            string Swap(string json) => newRefs.Aggregate(json, (text, pair) =>
                text.Replace(JsonSerializer.Serialize(pair.Key), JsonSerializer.Serialize(pair.Value), StringComparison.Ordinal));
            var newFigures = rowAudit == auditId ? Swap(figures) : figures;
            var newBaseline = baseline is null ? null : Swap(baseline);
            if (newFigures != figures || newBaseline != baseline)
            {
                // The audit's counter moves (every server drops the figures it held for it), and the kept row with it.
                await FiguresStore.CountChangeAsync(connection, tx, rowAudit);
                changed += await connection.ExecuteAsync("""
                    UPDATE audit_figures SET figures_json = @newFigures, baseline_json = @newBaseline,
                        changes = (SELECT changes FROM audits WHERE id = @rowAudit)
                    WHERE audit_id = @rowAudit
                    """, new { rowAudit, newFigures, newBaseline }, tx);
            }
        }

        return changed;
    }

    private static async Task<int> BlankOutboxAsync(DbConnection connection, DbTransaction tx, long auditId, List<string> destroyed)
    {
        var searched = destroyed.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        if (searched.Count == 0)
        {
            return 0;
        }

        var messages = await connection.QueryAsync<(long Id, string Subject, string TextBody, string HtmlBody)>(
            "SELECT id, subject, text_body, html_body FROM outbox WHERE audit_id = @auditId", new { auditId }, tx);
        var blanked = 0;
        foreach (var (id, subject, text, html) in messages)
        {
            bool Holds(string body) => searched.Any(d => body.Contains(d, StringComparison.Ordinal) || body.Contains(WebUtility.HtmlEncode(d), StringComparison.Ordinal));
            if (Holds(subject) || Holds(text) || Holds(html))
            {
                blanked += await connection.ExecuteAsync(
                    "UPDATE outbox SET subject = @subject, text_body = @removed, html_body = @html WHERE id = @id",
                    new { id, subject = Holds(subject) ? Removed : subject, removed = Removed, html = $"<p>{Removed}</p>" }, tx);
            }
        }

        return blanked;
    }

    private sealed class LogRow
    {
        public long Id { get; set; }
        public string Entity { get; set; } = string.Empty;
        public string Action { get; set; } = string.Empty;
        public string? OldValues { get; set; }
        public string? NewValues { get; set; }
        public string? CaseRef { get; set; }
        public long CaseContent { get; set; }
    }

    private sealed class ChainRow
    {
        public long Id { get; set; }
        public string AtUtc { get; set; } = string.Empty;
        public long? UserId { get; set; }
        public string UserName { get; set; } = string.Empty;
        public string Action { get; set; } = string.Empty;
        public string Entity { get; set; } = string.Empty;
        public string? EntityId { get; set; }
        public string? OldValues { get; set; }
        public string? NewValues { get; set; }
        public long? AuditId { get; set; }
        public string? CaseRef { get; set; }
        public string? AgencyKey { get; set; }
        public long CaseContent { get; set; }
        public string? PrevHash { get; set; }
        public string? Hash { get; set; }

        public ChainedLine ToLine() => new(Id, AtUtc, UserId, UserName, Action, Entity, EntityId, OldValues, NewValues, AuditId, CaseRef,
            AgencyKey, CaseContent == 1, PrevHash, Hash);
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public string? PublishedUtc { get; set; }
        public string? ClosedUtc { get; set; }
        public long? NotesMonths { get; set; }
        public long? AnswersMonths { get; set; }
        public string? NotesDisposedUtc { get; set; }
        public string? AnswersDisposedUtc { get; set; }

        public RetentionAudit ToAudit() => new(Id, Title, Status, P(PublishedUtc), P(ClosedUtc), (int?)NotesMonths, (int?)AnswersMonths,
            P(NotesDisposedUtc), P(AnswersDisposedUtc));

        private static DateTimeOffset? P(string? text) => text is null ? null : Utc.Parse(text);
    }

    private sealed class HoldRow
    {
        public long Id { get; set; }
        public long? AuditId { get; set; }
        public string? AuditTitle { get; set; }
        public string? CaseRef { get; set; }
        public string Reason { get; set; } = string.Empty;
        public string PlacedBy { get; set; } = string.Empty;
        public string PlacedUtc { get; set; } = string.Empty;
        public string? ReleasedBy { get; set; }
        public string? ReleasedUtc { get; set; }
        public string? ReleaseReason { get; set; }

        public LegalHold ToHold() => new(Id, AuditId, AuditTitle, CaseRef, Reason, PlacedBy, Utc.Parse(PlacedUtc), ReleasedBy,
            ReleasedUtc is null ? null : Utc.Parse(ReleasedUtc), ReleaseReason);
    }
}
