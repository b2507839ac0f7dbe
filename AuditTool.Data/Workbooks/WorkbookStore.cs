using System.Data.Common;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Workbooks;
using Dapper;

namespace AuditTool.Data.Workbooks;

/// <summary>
/// Saves a checked workbook upload in one write transaction (BEGIN IMMEDIATE, or the advisory write lock): every answer
/// and note with its audit log line, status moves, submissions and the upload's summary line land together or not at all.
/// </summary>
public sealed class WorkbookStore(ConnectionFactory factory) : IWorkbookStore
{
    /// <summary>The audit log action of a value saved from a workbook upload (in-app saves are "update").</summary>
    public const string LogAction = "update-from-workbook";

    public async Task<bool> SaveAsync(WorkbookSave save)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var stamp = Utc.Format(save.Now);
        var open = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audits WHERE id = @AuditId AND status = 'open'", new { save.AuditId }, tx);
        if (open == 0)
        {
            return false;
        }

        foreach (var ret in save.Returns)
        {
            if (!await StillAsCheckedAsync(connection, tx, save.AuditId, ret))
            {
                return false;
            }

            var subject = await AuditLogWriter.SubjectOfReturnAsync(connection, tx, ret.ReturnId);
            foreach (var change in ret.Changes)
            {
                var questionId = await connection.ExecuteScalarAsync<long?>("""
                    SELECT q.id FROM template_questions q JOIN audits a ON a.template_version_id = q.template_version_id
                    WHERE a.id = @AuditId AND q.key = @QuestionKey
                    """, new { save.AuditId, change.QuestionKey }, tx)
                    ?? throw new InvalidOperationException($"Audit {save.AuditId}'s template has no question '{change.QuestionKey}'.");
                var isAnswer = change.Field == WorkbookFields.Answer;
                await AnswerWriter.WriteAsync(connection, tx, ret.ReturnId, questionId, isAnswer, change.New, save.Now, save.UserId);
                await AuditLogWriter.WriteAsync(connection, tx, new AuditLogEntry(save.Now, save.UserId, save.UserName, LogAction,
                    isAnswer ? "answer" : "evidence", $"{ret.ReturnId}/{change.QuestionKey}", change.Old, change.New, subject, CaseContent: true));
            }

            var status = ret.FromStatus;
            if (ret.Changes.Count > 0 && status == ReturnStatuses.NotStarted)
            {
                await ReturnStatusWriter.MoveAsync(connection, tx, ret.ReturnId, status, ReturnStatuses.InProgress, null, save.Now, log: null);
                status = ReturnStatuses.InProgress;
            }

            if (ret.Submit)
            {
                await ReturnStatusWriter.MoveAsync(connection, tx, ret.ReturnId, status, ReturnStatuses.Submitted, null, save.Now,
                    new AuditLogEntry(save.Now, save.UserId, save.UserName, "submit", "return",
                        ret.ReturnId.ToString(System.Globalization.CultureInfo.InvariantCulture), status, ReturnStatuses.Submitted), subject);
            }
            else if (ret.Changes.Count > 0)
            {
                await connection.ExecuteAsync("UPDATE agency_returns SET updated_utc = @stamp WHERE id = @ReturnId", new { ret.ReturnId, stamp }, tx);
            }
        }

        await FiguresStore.CountChangeAsync(connection, tx, save.AuditId);
        await AuditLogWriter.WriteAsync(connection, tx, new AuditLogEntry(save.Now, save.UserId, save.UserName, "upload-workbook", "audit",
            save.AuditId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, save.Summary, new LogSubject(save.AuditId)));
        await tx.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyDictionary<(long ReturnId, string QuestionKey, string Field), DateTimeOffset>> ChangedSinceAsync(
        IReadOnlyCollection<long> returnIds, DateTimeOffset since)
    {
        using var connection = await factory.OpenAsync();
        // Each answer knows when its value and its note last changed (stamped by the one answer writer, whichever path
        // saved it): what changed after the workbook's download time is what is in conflict.
        var rows = await connection.QueryAsync<(long ReturnId, string Key, string? ValueAt, string? EvidenceAt)>("""
            SELECT a.return_id, q.key, a.value_updated_utc, a.evidence_updated_utc
            FROM answers a JOIN template_questions q ON q.id = a.question_id
            WHERE a.value_updated_utc > @since OR a.evidence_updated_utc > @since
            """, new { since = Utc.Format(since) });
        var wanted = returnIds.ToHashSet();
        var changed = new Dictionary<(long, string, string), DateTimeOffset>();
        foreach (var (returnId, key, valueAt, evidenceAt) in rows.Where(r => wanted.Contains(r.ReturnId)))
        {
            if (valueAt is not null && string.CompareOrdinal(valueAt, Utc.Format(since)) > 0)
            {
                changed[(returnId, key, WorkbookFields.Answer)] = Utc.Parse(valueAt);
            }

            if (evidenceAt is not null && string.CompareOrdinal(evidenceAt, Utc.Format(since)) > 0)
            {
                changed[(returnId, key, WorkbookFields.Evidence)] = Utc.Parse(evidenceAt);
            }
        }

        return changed;
    }

    /// <summary>The return is still in the audit, in the status the checks saw, with exactly the answers they saw.</summary>
    private static async Task<bool> StillAsCheckedAsync(DbConnection connection, DbTransaction tx, long auditId, ReturnUpload ret)
    {
        var status = await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT status FROM agency_returns WHERE id = @ReturnId AND audit_id = @auditId", new { ret.ReturnId, auditId }, tx);
        if (status != ret.FromStatus)
        {
            return false;
        }

        var now = (await connection.QueryAsync<(string Key, string? Value, string? Evidence)>("""
            SELECT q.key, a.value, a.evidence FROM answers a JOIN template_questions q ON q.id = a.question_id WHERE a.return_id = @ReturnId
            """, new { ret.ReturnId }, tx)).ToDictionary(a => a.Key);
        return now.Count == ret.Expected.Count &&
               ret.Expected.All(e => now.TryGetValue(e.QuestionKey, out var a) && a.Value == e.Value && a.Evidence == e.Evidence);
    }
}
