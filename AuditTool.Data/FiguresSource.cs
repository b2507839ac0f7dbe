using System.Collections.Concurrent;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Reads what an audit's figures are computed from: the returns with their agency kinds and the moderated judgements
/// (two small queries), then every answer value in one forward-only pass ordered by return, handed to the aggregation one
/// return at a time. Memory stays flat however many answers there are.
/// </summary>
public sealed class FiguresSource(SqliteConnectionFactory factory, IAuditRepository audits, ITemplateRepository templates) : IFiguresSource
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
        return new AggregationInput(audit, template, Pipelined(Stream(auditId, template, returns)), moderation);
    }

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

    private IEnumerable<ReturnData> Stream(long auditId, TemplateDefinition template, List<ReturnRow> returns)
    {
        using var connection = factory.Open();
        // Answers carry their question's id: a number per row, turned back into the template's key and type here.
        var questions = new Dictionary<long, (string Key, QuestionType Type)>();
        foreach (var (id, key) in connection.Query<(long Id, string Key)>("""
            SELECT q.id, q.key FROM template_questions q JOIN audits au ON au.template_version_id = q.template_version_id
            WHERE au.id = @auditId
            """, new { auditId }))
        {
            if (template.Questions.FirstOrDefault(q => q.Key == key) is { } question)
            {
                questions[id] = (question.Key, question.Type);
            }
        }

        using var command = connection.CreateCommand();
        // NOT INDEXED walks the returns in rowid order, so the answers come out grouped by return with no sort.
        command.CommandText = """
            SELECT a.return_id, a.question_id, a.value
            FROM agency_returns r NOT INDEXED JOIN answers a ON a.return_id = r.id
            WHERE r.audit_id = $auditId AND a.value IS NOT NULL
            ORDER BY r.id
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$auditId";
        parameter.Value = auditId;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        var hasRow = reader.Read();
        foreach (var r in returns)
        {
            var answers = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (hasRow && reader.GetInt64(0) < r.Id)
            {
                hasRow = reader.Read();
            }

            while (hasRow && reader.GetInt64(0) == r.Id)
            {
                if (questions.TryGetValue(reader.GetInt64(1), out var question))
                {
                    answers[question.Key] = Answers.Decode(question.Type, reader.GetString(2));
                }

                hasRow = reader.Read();
            }

            yield return new ReturnData(r.Id, r.CaseRef, r.AgencyId, r.Kind, r.Status == ReturnStatuses.Submitted, answers);
        }
    }

    private sealed class ReturnRow
    {
        public long Id { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public long AgencyId { get; set; }
        public string Kind { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
    }
}
