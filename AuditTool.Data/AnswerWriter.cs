using System.Data.Common;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// The one writer of an answer's value or evidence note (the app's saves and workbook uploads alike), inside the
/// caller's transaction: it stamps when that field changed, which a workbook upload's conflict check reads.
/// </summary>
internal static class AnswerWriter
{
    private const string Value = """
        INSERT INTO answers (return_id, question_id, value, updated_utc, updated_by, value_updated_utc)
        VALUES (@returnId, @questionId, @text, @now, @userId, @now)
        ON CONFLICT (return_id, question_id) DO UPDATE
            SET value = excluded.value, updated_utc = excluded.updated_utc, updated_by = excluded.updated_by,
                value_updated_utc = excluded.value_updated_utc
        """;

    private const string Evidence = """
        INSERT INTO answers (return_id, question_id, evidence, updated_utc, updated_by, evidence_updated_utc)
        VALUES (@returnId, @questionId, @text, @now, @userId, @now)
        ON CONFLICT (return_id, question_id) DO UPDATE
            SET evidence = excluded.evidence, updated_utc = excluded.updated_utc, updated_by = excluded.updated_by,
                evidence_updated_utc = excluded.evidence_updated_utc
        """;

    public static Task WriteAsync(DbConnection connection, DbTransaction tx, long returnId, long questionId, bool isValue, string? text,
        DateTimeOffset now, long? userId)
    {
        var (sql, parameters) = Statement(returnId, questionId, isValue, text, now, userId);
        return connection.ExecuteAsync(sql, StatementBatch.ToDapper(parameters), tx);
    }

    /// <summary>The write as a statement and its parameters, for a caller that sends it with others in one round trip.</summary>
    public static (string Sql, IReadOnlyDictionary<string, object?> Parameters) Statement(long returnId, long questionId, bool isValue,
        string? text, DateTimeOffset now, long? userId) =>
        (isValue ? Value : Evidence, new Dictionary<string, object?>
        {
            ["returnId"] = returnId, ["questionId"] = questionId, ["text"] = text, ["now"] = Utc.Format(now), ["userId"] = userId,
        });

    /// <summary>An imported audit's answers, all at once (binary COPY on PostgreSQL), each field stamped as changed at
    /// <paramref name="now"/> when it holds something; <paramref name="many"/>: their references are checked once
    /// afterwards, not row by row (<see cref="BulkInsert.WriteAsync"/>).</summary>
    public static Task<long> InsertManyAsync(DbConnection connection, DbTransaction tx,
        IEnumerable<(long ReturnId, long QuestionId, string? Value, string? Evidence)> answers, DateTimeOffset now, long? userId,
        bool many = false)
    {
        var stamp = Utc.Format(now);
        return BulkInsert.WriteAsync(connection, tx, "answers",
            ["return_id", "question_id", "value", "evidence", "updated_utc", "updated_by", "value_updated_utc", "evidence_updated_utc"],
            answers.Select(a => new object?[]
            {
                a.ReturnId, a.QuestionId, a.Value, a.Evidence, stamp, userId,
                a.Value is null ? null : stamp, a.Evidence is null ? null : stamp,
            }), checkReferencesOnce: many);
    }
}
