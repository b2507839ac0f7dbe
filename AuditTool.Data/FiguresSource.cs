using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AuditTool.Data;

/// <summary>
/// Reads what an audit's figures are computed from: the returns with their agency kinds and the moderated judgements
/// (two small queries), then every answer value in forward-only passes ordered by return (one per part of the returns),
/// handed to the aggregation one return at a time. Memory stays flat however many answers there are.
/// </summary>
public sealed class FiguresSource(ConnectionFactory factory, IAuditRepository audits, ITemplateRepository templates) : IFiguresSource
{
    public async Task<AggregationInput?> LoadAsync(long auditId)
    {
        var audit = await audits.GetByIdAsync(auditId);
        if (audit is null)
        {
            return null;
        }

        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException($"Audit {auditId} points at a missing template version.");
        using var connection = await factory.OpenAsync();
        var returns = (await connection.QueryAsync<ReturnRow>("""
            SELECT r.id AS Id, c.ref AS CaseRef, r.agency_id AS AgencyId, g.kind AS Kind, r.status AS Status
            FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id JOIN agencies g ON g.id = r.agency_id
            WHERE r.audit_id = @auditId ORDER BY r.id
            """, new { auditId })).ToList();
        var moderation = (await connection.QueryAsync<(string CaseRef, string QuestionKey, string Value)>("""
            SELECT c.ref, m.question_key, m.value FROM moderations m JOIN audit_cases c ON c.id = m.case_id
            WHERE c.audit_id = @auditId
            """, new { auditId })).Select(m => new ModerationData(m.CaseRef, m.QuestionKey, m.Value)).ToList();
        // Answers carry their question's id: a number per row, turned back into the template's slot here.
        var layout = AnswerSet.LayoutOf(template);
        var questions = new Dictionary<long, QuestionValues>();
        foreach (var (id, key) in await connection.QueryAsync<(long Id, string Key)>(
            "SELECT id, key FROM template_questions WHERE template_version_id = @versionId", new { versionId = audit.TemplateVersionId }))
        {
            if (template.Questions.FirstOrDefault(q => q.Key == key) is { } question)
            {
                questions[id] = new QuestionValues(question, template.OptionsOf(question), layout.Index[key]);
            }
        }

        // A large audit is read in consecutive parts, one per core, each on its own connection and aggregated on its own
        // thread; a smaller one in one part, read on one thread while the caller aggregates on another.
        var parts = returns.Count < PartMinimumReturns ? 1 : Math.Min(PartCount, returns.Count);
        var size = (returns.Count + parts - 1) / Math.Max(parts, 1);
        IReadOnlyList<IEnumerable<ReturnData>> streams = parts == 1
            ? [Pipelined(Stream(auditId, layout, questions, returns))]
            : returns.Chunk(size).Select(part => Stream(auditId, layout, questions, part)).ToList();
        return new AggregationInput(audit, template, streams, moderation);
    }

    /// <summary>Below this many returns (about 100,000 answers) one reader is quicker than opening more connections.</summary>
    internal int PartMinimumReturns { get; init; } = 2_000;

    /// <summary>One part per core, at most four: more would only queue on the database (and on PostgreSQL take a
    /// connection each).</summary>
    internal int PartCount { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Reads on one thread while the caller aggregates on another: reading a million rows from SQLite is most of the
    /// work, so the two overlap on a two-core machine. At most 512 returns wait in between: memory stays flat.
    /// </summary>
    private static IEnumerable<ReturnData> Pipelined(IEnumerable<ReturnData> source)
    {
        using var queue = new BlockingCollection<ReturnData>(boundedCapacity: 512);
        Exception? failure = null;
        using var cancel = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var item in source)
                {
                    queue.Add(item, cancel.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                yield return item;
            }
        }
        finally
        {
            // The consumer may stop early: let the reader finish and close its connection.
            cancel.Cancel();
            producer.Wait();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>The answers of some consecutive returns (ids from the first to the last of them), grouped by return.</summary>
    private IEnumerable<ReturnData> Stream(long auditId, AnswerLayout layout, Dictionary<long, QuestionValues> questions,
        IReadOnlyList<ReturnRow> returns)
    {
        if (returns.Count == 0)
        {
            yield break;
        }

        using var connection = factory.Open();
        // The connection stays open while the caller enumerates (this method is an iterator too).
        var rows = connection is SqliteConnection sqlite
            ? ReadSqlite(sqlite, auditId, layout, questions, returns)
            : ReadAny(connection, auditId, layout, questions, returns);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <summary>
    /// SQLite's own statement API: the value's bytes are read in place and matched to the question's options, so a
    /// million option answers allocate no string each (they are most answers); other values are decoded as text.
    /// NOT INDEXED walks the returns in rowid order, so the answers come out grouped by return with no sort.
    /// </summary>
    private static IEnumerable<ReturnData> ReadSqlite(SqliteConnection connection, long auditId, AnswerLayout layout,
        Dictionary<long, QuestionValues> questions, IReadOnlyList<ReturnRow> returns)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, """
            SELECT a.return_id, a.question_id, a.value
            FROM agency_returns r NOT INDEXED JOIN answers a ON a.return_id = r.id
            WHERE r.audit_id = ?1 AND r.id BETWEEN ?2 AND ?3 AND a.value IS NOT NULL
            ORDER BY r.id
            """, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 1, auditId), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 2, returns[0].Id), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 3, returns[^1].Id), db);
            var rowReturn = Step(statement, db) ? raw.sqlite3_column_int64(statement, 0) : long.MaxValue;
            foreach (var r in returns)
            {
                var answers = new AnswerSet(layout);
                while (rowReturn < r.Id)
                {
                    rowReturn = Step(statement, db) ? raw.sqlite3_column_int64(statement, 0) : long.MaxValue;
                }

                while (rowReturn == r.Id)
                {
                    if (questions.TryGetValue(raw.sqlite3_column_int64(statement, 1), out var question))
                    {
                        answers.Set(question.Slot, question.Decode(raw.sqlite3_column_blob(statement, 2)));
                    }

                    rowReturn = Step(statement, db) ? raw.sqlite3_column_int64(statement, 0) : long.MaxValue;
                }

                yield return r.ToData(answers);
            }
        }
    }

    /// <summary>Any other engine (PostgreSQL): one forward-only reader in return order (the answers' primary key).</summary>
    private static IEnumerable<ReturnData> ReadAny(DbConnection connection, long auditId, AnswerLayout layout,
        Dictionary<long, QuestionValues> questions, IReadOnlyList<ReturnRow> returns)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.return_id, a.question_id, a.value
            FROM answers a JOIN agency_returns r ON r.id = a.return_id
            WHERE r.audit_id = @auditId AND a.return_id BETWEEN @first AND @last AND a.value IS NOT NULL
            ORDER BY a.return_id
            """;
        foreach (var (name, value) in new[] { ("@auditId", auditId), ("@first", returns[0].Id), ("@last", returns[^1].Id) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = System.Data.DbType.Int64;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        using var reader = command.ExecuteReader();
        var rowReturn = reader.Read() ? reader.GetInt64(0) : long.MaxValue;
        foreach (var r in returns)
        {
            var answers = new AnswerSet(layout);
            while (rowReturn < r.Id)
            {
                rowReturn = reader.Read() ? reader.GetInt64(0) : long.MaxValue;
            }

            while (rowReturn == r.Id)
            {
                if (questions.TryGetValue(reader.GetInt64(1), out var question))
                {
                    answers.Set(question.Slot, question.Decode(reader.GetString(2)));
                }

                rowReturn = reader.Read() ? reader.GetInt64(0) : long.MaxValue;
            }

            yield return r.ToData(answers);
        }
    }

    private static bool Step(sqlite3_stmt statement, sqlite3 db)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return false;
    }

    /// <summary>A question's slot in the answer set, and its option values (and "na") as UTF-8, to match stored bytes without decoding.</summary>
    private sealed class QuestionValues(QuestionDefinition question, IReadOnlyList<ScaleOption> options, int slot)
    {
        private readonly (byte[] Utf8, string Value)[] _known = question.Type == QuestionType.MultiChoice
            ? []
            : options.Select(o => o.Value).Append(BuiltInScales.NotApplicable).Distinct(StringComparer.Ordinal)
                .Select(v => (Encoding.UTF8.GetBytes(v), v)).ToArray();

        public int Slot { get; } = slot;

        public object? Decode(ReadOnlySpan<byte> stored)
        {
            foreach (var (utf8, value) in _known)
            {
                if (stored.SequenceEqual(utf8))
                {
                    return value;
                }
            }

            return Answers.Decode(question.Type, Encoding.UTF8.GetString(stored));
        }

        public object? Decode(string stored)
        {
            foreach (var (_, value) in _known)
            {
                if (stored == value)
                {
                    return value;
                }
            }

            return Answers.Decode(question.Type, stored);
        }
    }

    private sealed class ReturnRow
    {
        public long Id { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public long AgencyId { get; set; }
        public string Kind { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;

        public ReturnData ToData(AnswerSet answers) => new(Id, CaseRef, AgencyId, Kind, Status == ReturnStatuses.Submitted, answers);
    }
}
