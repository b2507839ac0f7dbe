using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Reads what an audit's figures are computed from in four queries: the returns with their agency kinds, every answer
/// value, and the moderated judgements (plus the audit and its template). Answers are read with a plain data reader:
/// at a million rows the per-row cost is what matters.
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
        var types = template.Questions.ToDictionary(q => q.Key, q => q.Type, StringComparer.Ordinal);
        using var connection = await factory.OpenAsync();
        var returns = (await connection.QueryAsync<(long Id, string CaseRef, long AgencyId, string Kind, string Status)>("""
            SELECT r.id, c.ref, r.agency_id, g.kind, r.status
            FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id JOIN agencies g ON g.id = r.agency_id
            WHERE r.audit_id = @auditId ORDER BY c.position, c.id, r.agency_id
            """, new { auditId })).ToList();

        var answers = new Dictionary<long, Dictionary<string, object?>>(returns.Count);
        foreach (var r in returns)
        {
            answers[r.Id] = new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        var keys = types.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT a.return_id, a.question_key, a.value FROM answers a JOIN agency_returns r ON r.id = a.return_id
                WHERE r.audit_id = $auditId AND a.value IS NOT NULL
                """;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$auditId";
            parameter.Value = auditId;
            command.Parameters.Add(parameter);
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = reader.GetString(1);
                if (!keys.TryGetValue(key, out var interned) || !answers.TryGetValue(reader.GetInt64(0), out var own))
                {
                    continue;
                }

                own[interned] = Answers.Decode(types[interned], reader.GetString(2));
            }
        }

        var moderation = (await connection.QueryAsync<(string CaseRef, string QuestionKey, string Value)>("""
            SELECT c.ref, m.question_key, m.value FROM moderations m JOIN audit_cases c ON c.id = m.case_id
            WHERE c.audit_id = @auditId
            """, new { auditId })).Select(m => new ModerationData(m.CaseRef, m.QuestionKey, m.Value)).ToList();

        return new AggregationInput(audit, template,
            returns.Select(r => new ReturnData(r.Id, r.CaseRef, r.AgencyId, r.Kind, r.Status == ReturnStatuses.Submitted, answers[r.Id])).ToList(),
            moderation);
    }
}
