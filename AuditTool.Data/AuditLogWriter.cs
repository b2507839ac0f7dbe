using System.Data.Common;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// The one statement that writes an audit log line, used by every repository inside the transaction of the change it
/// records (so both land or neither does) and by <see cref="AuditLogRepository"/> for lines that stand alone. Each line
/// is chained to the one before it (<see cref="AuditLogChain"/>): the transaction must hold the write lock
/// (<see cref="ConnectionFactory.BeginWrite"/>), so lines are written, and chained, one at a time.
/// </summary>
internal static class AuditLogWriter
{
    private const string Insert = """
        INSERT INTO audit_log (at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values,
                               audit_id, case_ref, agency_key, case_content, prev_hash, hash)
        VALUES (@At, @UserId, @UserName, @Action, @Entity, @EntityId, @OldValues, @NewValues,
                @AuditId, @CaseRef, @AgencyKey, @CaseContent, @PreviousHash, @Hash)
        """;

    public static Task WriteAsync(DbConnection connection, DbTransaction tx, AuditLogEntry entry) => WriteAsync(connection, tx, [entry]);

    /// <summary>
    /// One guarded change of one row and its log line, in one write transaction: <paramref name="sql"/> must change exactly
    /// one row (its WHERE carries the guard: the state it moves from, a version), else nothing is written and the answer is
    /// false. <paramref name="alsoAsync"/> runs inside the same transaction after the change (ending sessions, say).
    /// </summary>
    public static async Task<bool> ChangeOneRowAsync(ConnectionFactory factory, string sql, object parameters, AuditLogEntry log,
        Func<DbConnection, DbTransaction, Task>? alsoAsync = null)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        if (await connection.ExecuteAsync(sql, parameters, tx) != 1)
        {
            return false;
        }

        if (alsoAsync is not null)
        {
            await alsoAsync(connection, tx);
        }

        await WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    /// <summary>The hash of the last line, which the next is chained to (<see cref="AuditLogChain.Origin"/> when there is none).</summary>
    public const string LastHashSql = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";

    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, IEnumerable<AuditLogEntry> entries)
    {
        var previous = await connection.ExecuteScalarAsync<string?>(LastHashSql, transaction: tx) ?? AuditLogChain.Origin;
        foreach (var entry in entries)
        {
            var (sql, parameters, hash) = Statement(entry, previous);
            await connection.ExecuteAsync(sql, StatementBatch.ToDapper(parameters), tx);
            previous = hash;
        }
    }

    /// <summary>
    /// One line as a statement and its parameters, chained to <paramref name="previous"/> (read with the write lock held),
    /// for a caller that sends it with other statements in one round trip; its hash is the next line's previous.
    /// </summary>
    public static (string Sql, IReadOnlyDictionary<string, object?> Parameters, string Hash) Statement(AuditLogEntry entry, string previous)
    {
        var line = Line(entry);
        var hash = AuditLogChain.Hash(previous, line);
        return (Insert, new Dictionary<string, object?>
        {
            ["At"] = line.AtUtc,
            ["UserId"] = line.UserId,
            ["UserName"] = line.UserName,
            ["Action"] = line.Action,
            ["Entity"] = line.Entity,
            ["EntityId"] = line.EntityId,
            ["OldValues"] = line.OldValues,
            ["NewValues"] = line.NewValues,
            ["AuditId"] = line.AuditId,
            ["CaseRef"] = line.CaseRef,
            ["AgencyKey"] = line.AgencyKey,
            ["CaseContent"] = line.CaseContent ? 1 : 0,
            ["PreviousHash"] = previous,
            ["Hash"] = hash,
        }, hash);
    }

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

    /// <summary>The line as it is stored (its time as text, its subject filled in).</summary>
    private static ChainedLine Line(AuditLogEntry entry)
    {
        // A line about an audit itself names it by its id.
        var subject = entry.Subject ??
            (entry.Entity == "audit" && long.TryParse(entry.EntityId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var auditId)
                ? new LogSubject(auditId)
                : null);
        return new ChainedLine(0, Utc.Format(entry.AtUtc), entry.UserId, entry.UserName, entry.Action, entry.Entity, entry.EntityId,
            entry.OldValues, entry.NewValues, subject?.AuditId, subject?.CaseRef, subject?.AgencyKey, entry.CaseContent, null, null);
    }
}
