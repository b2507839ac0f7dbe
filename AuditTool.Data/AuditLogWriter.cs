using System.Data.Common;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// The one statement that writes an audit log line, used by every repository inside the transaction of the change it
/// records (so both land or neither does) and by <see cref="AuditLogRepository"/> for lines that stand alone.
/// </summary>
internal static class AuditLogWriter
{
    private const string Insert = """
        INSERT INTO audit_log (at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values,
                               audit_id, case_ref, agency_key, case_content)
        VALUES (@At, @UserId, @UserName, @Action, @Entity, @EntityId, @OldValues, @NewValues,
                @AuditId, @CaseRef, @AgencyKey, @CaseContent)
        """;

    public static Task WriteAsync(DbConnection connection, DbTransaction? tx, AuditLogEntry entry) =>
        connection.ExecuteAsync(Insert, Parameters(entry), tx);

    public static Task WriteAsync(DbConnection connection, DbTransaction? tx, IEnumerable<AuditLogEntry> entries) =>
        connection.ExecuteAsync(Insert, entries.Select(Parameters), tx);

    /// <summary>The audit, case reference and agency of a return, read inside the caller's transaction.</summary>
    public static async Task<LogSubject?> SubjectOfReturnAsync(DbConnection connection, DbTransaction? tx, long returnId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long AuditId, string CaseRef, string AgencyKey)?>("""
            SELECT r.audit_id, c.ref, g.key FROM agency_returns r
            JOIN audit_cases c ON c.id = r.case_id JOIN agencies g ON g.id = r.agency_id
            WHERE r.id = @returnId
            """, new { returnId }, tx);
        return row is { } r ? new LogSubject(r.AuditId, r.CaseRef, r.AgencyKey) : null;
    }

    private static object Parameters(AuditLogEntry entry)
    {
        // A line about an audit itself names it by its id.
        var subject = entry.Subject ??
            (entry.Entity == "audit" && long.TryParse(entry.EntityId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var auditId)
                ? new LogSubject(auditId)
                : null);
        return new
        {
            At = Utc.Format(entry.AtUtc),
            entry.UserId,
            entry.UserName,
            entry.Action,
            entry.Entity,
            entry.EntityId,
            entry.OldValues,
            entry.NewValues,
            subject?.AuditId,
            subject?.CaseRef,
            subject?.AgencyKey,
            CaseContent = entry.CaseContent ? 1 : 0,
        };
    }
}
