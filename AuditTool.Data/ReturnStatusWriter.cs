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
        var moved = await connection.ExecuteAsync("""
            UPDATE agency_returns
            SET status = @toStatus, returned_comment = @comment, updated_utc = @now,
                submitted_utc = CASE WHEN @toStatus = 'submitted' THEN @now ELSE submitted_utc END,
                amendment_number = CASE WHEN @toStatus = 'returned' THEN amendment_number + 1 ELSE amendment_number END
            WHERE id = @returnId AND status = @fromStatus
            """, new { returnId, fromStatus, toStatus, comment, now = Utc.Format(now) }, tx) == 1;
        if (moved && log is not null)
        {
            await AuditLogWriter.WriteAsync(connection, tx,
                log with { Subject = subject ?? await AuditLogWriter.SubjectOfReturnAsync(connection, tx, returnId) });
        }

        return moved;
    }
}
