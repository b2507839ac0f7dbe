using System.Data.Common;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// The one writer of a return's status (the app's submit and send-back, the first save that starts a return, a workbook
/// upload's submit), inside the caller's transaction: the move happens only from the status the caller read, and its
/// audit log line, when it has one, is written in the same transaction.
/// </summary>
internal static class ReturnStatusWriter
{
    public static async Task<bool> MoveAsync(DbConnection connection, DbTransaction tx, long returnId, string fromStatus, string toStatus,
        string? comment, DateTimeOffset now, AuditLogEntry? log, LogSubject? subject = null)
    {
        var (sql, parameters) = Statement(returnId, fromStatus, toStatus, comment, now);
        var moved = await connection.ExecuteAsync(sql, StatementBatch.ToDapper(parameters), tx) == 1;
        if (moved && log is not null)
        {
            await AuditLogWriter.WriteAsync(connection, tx,
                log with { Subject = subject ?? await AuditLogWriter.SubjectOfReturnAsync(connection, tx, returnId) });
        }

        return moved;
    }

    /// <summary>
    /// The move as a statement and its parameters, for a caller that sends it with others in one round trip and has read
    /// the return's status under the write lock (so the move is sure); its log line, if any, is the caller's to send.
    /// </summary>
    public static (string Sql, IReadOnlyDictionary<string, object?> Parameters) Statement(long returnId, string fromStatus, string toStatus,
        string? comment, DateTimeOffset now) =>
        ("""
            UPDATE agency_returns
            SET status = @toStatus, returned_comment = @comment, updated_utc = @now,
                submitted_utc = CASE WHEN @toStatus = 'submitted' THEN @now ELSE submitted_utc END,
                amendment_number = CASE WHEN @toStatus = 'returned' THEN amendment_number + 1 ELSE amendment_number END
            WHERE id = @returnId AND status = @fromStatus
            """,
        new Dictionary<string, object?>
        {
            ["returnId"] = returnId, ["fromStatus"] = fromStatus, ["toStatus"] = toStatus, ["comment"] = comment, ["now"] = Utc.Format(now),
        });
}
