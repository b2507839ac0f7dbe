using System.Globalization;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Everything held about one case reference, found by the exact reference in every table that holds case content, and
/// by the reference as a whole word in free text (actions, findings, log values). A log line whose values also name
/// other cases is listed without its values, so the file says nothing about any other case.
/// </summary>
public sealed class CaseFileSource(ConnectionFactory factory) : ICaseFileSource
{
    public async Task<IReadOnlyList<CaseFileItem>> FindAsync(string caseRef)
    {
        using var connection = await factory.OpenAsync();
        var items = new List<CaseFileItem>();
        var cases = (await connection.QueryAsync<(long Id, long AuditId, string Title, string Attributes, string Source)>("""
            SELECT c.id, c.audit_id, a.title, c.attributes_json, c.source FROM audit_cases c JOIN audits a ON a.id = c.audit_id
            WHERE c.ref = @caseRef ORDER BY c.audit_id
            """, new { caseRef })).ToList();
        foreach (var c in cases)
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Case, c.AuditId, c.Title, null, $"case in the audit (added by {c.Source})", c.Attributes, null));
        }

        foreach (var row in await connection.QueryAsync<(long AuditId, string Title, long Position, string Attributes)>("""
            SELECT h.audit_id, a.title, h.position, h.attributes_json FROM audit_cohort h JOIN audits a ON a.id = h.audit_id
            WHERE h.ref = @caseRef ORDER BY h.audit_id
            """, new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Cohort, row.AuditId, row.Title, null, $"cohort list, row {row.Position}", row.Attributes, null));
        }

        foreach (var r in await connection.QueryAsync<(long Id, long AuditId, string Title, string Agency, string Status, string? Comment, string? Submitted, string Updated)>("""
            SELECT r.id, r.audit_id, a.title, g.name, r.status, r.returned_comment, r.submitted_utc, r.updated_utc
            FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id JOIN audits a ON a.id = r.audit_id JOIN agencies g ON g.id = r.agency_id
            WHERE c.ref = @caseRef ORDER BY r.audit_id, g.name
            """, new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Return, r.AuditId, r.Title, r.Agency, $"return {r.Id}: {r.Status}{(r.Submitted is null ? "" : ", submitted " + r.Submitted)}",
                r.Comment is null ? null : "amendment comment: " + r.Comment, Utc.Parse(r.Updated)));
        }

        foreach (var a in await connection.QueryAsync<(long AuditId, string Title, string Agency, string Key, string Question, string? Value, string? Evidence, string Updated)>("""
            SELECT r.audit_id, au.title, g.name, q.key, q.text, an.value, an.evidence, an.updated_utc
            FROM answers an JOIN agency_returns r ON r.id = an.return_id JOIN audit_cases c ON c.id = r.case_id
            JOIN audits au ON au.id = r.audit_id JOIN agencies g ON g.id = r.agency_id JOIN template_questions q ON q.id = an.question_id
            WHERE c.ref = @caseRef ORDER BY r.audit_id, g.name, q.position
            """, new { caseRef }))
        {
            if (a.Value is not null)
            {
                items.Add(new CaseFileItem(CaseFile.Kinds.Answer, a.AuditId, a.Title, a.Agency, $"{a.Key}: {a.Question}", a.Value, Utc.Parse(a.Updated)));
            }

            if (a.Evidence is not null)
            {
                items.Add(new CaseFileItem(CaseFile.Kinds.Evidence, a.AuditId, a.Title, a.Agency, $"{a.Key}: {a.Question}", a.Evidence, Utc.Parse(a.Updated)));
            }
        }

        foreach (var m in await connection.QueryAsync<(long AuditId, string Title, string Key, string Value, string Rationale, string At)>("""
            SELECT c.audit_id, a.title, m.question_key, m.value, m.rationale, m.moderated_utc
            FROM moderations m JOIN audit_cases c ON c.id = m.case_id JOIN audits a ON a.id = c.audit_id
            WHERE c.ref = @caseRef ORDER BY c.audit_id, m.question_key
            """, new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Moderation, m.AuditId, m.Title, null, $"moderated {m.Key}: {m.Value}",
                m.Rationale.Length == 0 ? null : m.Rationale, Utc.Parse(m.At)));
        }

        foreach (var q in await connection.QueryAsync<(long AuditId, string Title, string Finding, string Text, string At)>("""
            SELECT f.audit_id, a.title, f.title, fq.text, fq.created_utc
            FROM finding_quotes fq JOIN findings f ON f.id = fq.finding_id JOIN audits a ON a.id = f.audit_id
            JOIN agency_returns r ON r.id = fq.source_return_id JOIN audit_cases c ON c.id = r.case_id
            WHERE c.ref = @caseRef ORDER BY f.audit_id, fq.id
            """, new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Quote, q.AuditId, q.Title, null, $"quote on the finding “{q.Finding}”, from this case's evidence", q.Text, Utc.Parse(q.At)));
        }

        foreach (var x in await connection.QueryAsync<(long Id, long AuditId, string Title, string? Agency, string Description, string Told, string State,
                     string RaisedBy, string Raised, string? AckBy, string? Action, string? ActionBy, string? ClosedBy)>("""
            SELECT x.id, x.audit_id, a.title, g.name, x.description, x.told, x.state, x.raised_by_name, x.raised_utc, x.acknowledged_name,
                   x.action_taken, x.action_name, x.closed_name
            FROM concerns x JOIN audit_cases c ON c.id = x.case_id JOIN audits a ON a.id = x.audit_id LEFT JOIN agencies g ON g.id = x.raised_agency_id
            WHERE c.ref = @caseRef ORDER BY x.audit_id, x.id
            """, new { caseRef }))
        {
            var steps = $"concern {x.Id}: {x.State}, raised by {x.RaisedBy}"
                + (x.AckBy is null ? "" : $", acknowledged by {x.AckBy}")
                + (x.ActionBy is null ? "" : $", action recorded by {x.ActionBy}")
                + (x.ClosedBy is null ? "" : $", closed by {x.ClosedBy}");
            var text = x.Description
                + (x.Told.Length == 0 ? "" : $"\nWho was told: {x.Told}")
                + (x.Action is null ? "" : $"\nAction recorded: {x.Action}");
            items.Add(new CaseFileItem(CaseFile.Kinds.Concern, x.AuditId, x.Title, x.Agency, steps, text, Utc.Parse(x.Raised)));
        }

        var like = "%" + caseRef.Replace("%", "").Replace("_", "") + "%";
        foreach (var a in await connection.QueryAsync<(long AuditId, string Title, string Description, string Updated)>("""
            SELECT x.audit_id, a.title, x.description, x.updated_utc FROM actions x JOIN audits a ON a.id = x.audit_id
            WHERE x.description LIKE @like ORDER BY x.audit_id, x.id
            """, new { like }))
        {
            if (CaseFile.Names(a.Description, caseRef))
            {
                items.Add(new CaseFileItem(CaseFile.Kinds.Action, a.AuditId, a.Title, null, "action", a.Description, Utc.Parse(a.Updated)));
            }
        }

        foreach (var f in await connection.QueryAsync<(long AuditId, string Title, string FindingTitle, string Narrative, string Updated)>("""
            SELECT f.audit_id, a.title, f.title, f.narrative, f.updated_utc FROM findings f JOIN audits a ON a.id = f.audit_id
            WHERE f.title LIKE @like OR f.narrative LIKE @like ORDER BY f.audit_id, f.id
            """, new { like }))
        {
            if (CaseFile.Names(f.FindingTitle, caseRef) || CaseFile.Names(f.Narrative, caseRef))
            {
                items.Add(new CaseFileItem(CaseFile.Kinds.Finding, f.AuditId, f.Title, null, $"finding “{f.FindingTitle}”", f.Narrative, Utc.Parse(f.Updated)));
            }
        }

        // Other case references of the audits this case is in: a log line naming one of them too is listed without values.
        var auditIds = cases.Select(c => c.AuditId).ToArray();
        var others = (await connection.QueryAsync<string>(
            $"SELECT ref FROM audit_cases WHERE {factory.In("audit_id", "auditIds")} AND ref <> @caseRef", new { auditIds, caseRef })).Distinct().ToList();
        foreach (var l in await connection.QueryAsync<(long Id, string At, string User, string Action, string Entity, string? EntityId, string? Old, string? New, long? AuditId, string? Title, string? LineRef, string? Agency)>("""
            SELECT l.id, l.at_utc, l.user_name, l.action, l.entity, l.entity_id, l.old_values, l.new_values, l.audit_id, a.title, l.case_ref, l.agency_key
            FROM audit_log l LEFT JOIN audits a ON a.id = l.audit_id
            WHERE l.case_ref = @caseRef OR l.old_values LIKE @like OR l.new_values LIKE @like
            ORDER BY l.id
            """, new { caseRef, like }))
        {
            var ownLine = l.LineRef == caseRef;
            if (!ownLine && !CaseFile.Names(l.Old, caseRef) && !CaseFile.Names(l.New, caseRef))
            {
                continue;
            }

            if (!ownLine && l.LineRef is not null)
            {
                continue; // a line about another case that merely mentions this one: it belongs to that case's file
            }

            var mixed = others.Any(o => CaseFile.Names(l.Old, o) || CaseFile.Names(l.New, o));
            var values = mixed ? "(values not shown: they name other cases too)" : $"old: {l.Old ?? "-"}; new: {l.New ?? "-"}";
            items.Add(new CaseFileItem(CaseFile.Kinds.Log, l.AuditId, l.Title, l.Agency,
                $"entry {l.Id}: {l.User} {l.Action} {l.Entity} {l.EntityId}".TrimEnd(), values, Utc.Parse(l.At)));
        }

        foreach (var d in await connection.QueryAsync<(string At, string User, string Kind, long? AuditId, string? Title, string? Agency, string What)>("""
            SELECT d.at_utc, d.user_name, d.kind, d.audit_id, a.title, d.agency_key, d.what
            FROM disclosures d LEFT JOIN audits a ON a.id = d.audit_id WHERE d.case_ref = @caseRef ORDER BY d.id
            """, new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Disclosure, d.AuditId, d.Title, d.Agency, $"{d.Kind} by {d.User}", d.What, Utc.Parse(d.At)));
        }

        foreach (var h in await connection.QueryAsync<(string Reason, string By, string At, string? Released)>(
            "SELECT reason, placed_by, placed_utc, released_utc FROM legal_holds WHERE case_ref = @caseRef ORDER BY id", new { caseRef }))
        {
            items.Add(new CaseFileItem(CaseFile.Kinds.Hold, null, null, null, $"placed by {h.By}{(h.Released is null ? "" : ", released " + h.Released)}", h.Reason, Utc.Parse(h.At)));
        }

        return items;
    }
}

/// <summary>The disclosure record, written with one audit log line per case in the same transaction.</summary>
public sealed class DisclosureLog(ConnectionFactory factory, TimeProvider clock) : IDisclosureLog
{
    public async Task RecordAsync(Actor actor, IReadOnlyList<DisclosureSubject> subjects, string kind, string what)
    {
        if (subjects.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        foreach (var s in subjects)
        {
            await connection.ExecuteAsync("""
                INSERT INTO disclosures (at_utc, user_id, user_name, kind, audit_id, case_ref, agency_key, what)
                VALUES (@at, @userId, @UserName, @kind, @AuditId, @CaseRef, @AgencyKey, @what)
                """, new { at = Utc.Format(now), userId = actor.IsSystem ? (long?)null : actor.UserId, actor.UserName, kind, s.AuditId, s.CaseRef, s.AgencyKey, what }, tx);
        }

        await AuditLogWriter.WriteAsync(connection, tx, subjects.Select(s => new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName,
            kind == DisclosureKinds.Reveal ? "view" : "export", "disclosure", s.AuditId?.ToString(CultureInfo.InvariantCulture), null, what,
            s.AuditId is { } a ? new LogSubject(a, s.CaseRef, s.AgencyKey) : null)));
        await tx.CommitAsync();
    }

    public async Task<IReadOnlyList<Disclosure>> GetByCaseAsync(string caseRef)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long Id, string At, string User, string Kind, long? AuditId, string? Title, string CaseRef, string? Agency, string What)>("""
            SELECT d.id, d.at_utc, d.user_name, d.kind, d.audit_id, a.title, d.case_ref, COALESCE(g.name, d.agency_key), d.what
            FROM disclosures d LEFT JOIN audits a ON a.id = d.audit_id LEFT JOIN agencies g ON g.key = d.agency_key
            WHERE d.case_ref = @caseRef ORDER BY d.id DESC
            """, new { caseRef });
        return rows.Select(r => new Disclosure(r.Id, Utc.Parse(r.At), r.User, r.Kind, r.AuditId, r.Title, r.CaseRef, r.Agency, r.What)).ToList();
    }
}
