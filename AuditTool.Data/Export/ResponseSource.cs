using System.Data.Common;
using System.Runtime.CompilerServices;
using AuditTool.Domain.Exports;
using Dapper;

namespace AuditTool.Data.Export;

/// <summary>Answers in sheet order (case, agency, question order of the template), read with a forward-only reader.</summary>
public sealed class ResponseSource(ConnectionFactory factory) : IResponseSource
{
    /// <summary>The query behind the Responses sheet (public so the benchmark's reference writers read the very same rows).</summary>
    public const string Sql = """
        SELECT c.ref, r.agency_id, r.status, q.key, a.value, a.evidence
        FROM answers a
        JOIN agency_returns r ON r.id = a.return_id
        JOIN audit_cases c ON c.id = r.case_id
        JOIN template_questions q ON q.id = a.question_id
        WHERE r.audit_id = @auditId AND (@agencyId IS NULL OR r.agency_id = @agencyId)
        ORDER BY c.position, c.id, r.agency_id, q.position
        """;

    public async IAsyncEnumerable<ResponseRow> ReadAsync(long auditId, long? agencyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = await factory.OpenAsync();
        using var command = Command(connection, auditId, agencyId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var refs = new Dictionary<string, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // Case references repeat for every answer: keep one string each.
            var caseRef = reader.GetString(0);
            if (!refs.TryGetValue(caseRef, out var shared))
            {
                refs[caseRef] = shared = caseRef;
            }

            yield return new ResponseRow(shared, reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5));
        }
    }

    public async Task<int> CountAsync(long auditId, long? agencyId)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM answers a JOIN agency_returns r ON r.id = a.return_id
            WHERE r.audit_id = @auditId AND (@agencyId IS NULL OR r.agency_id = @agencyId)
            """, new { auditId, agencyId });
    }

    public async Task<IReadOnlyList<ModerationGradeRow>> GetModeratedGradesAsync(long auditId, long? agencyId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(string CaseRef, string QuestionKey, long AgencyId, string? Value)>("""
            SELECT c.ref, m.question_key, r.agency_id, a.value
            FROM moderations m
            JOIN audit_cases c ON c.id = m.case_id
            JOIN agency_returns r ON r.case_id = c.id AND r.status = 'submitted'
            LEFT JOIN template_questions q ON q.template_version_id = (SELECT template_version_id FROM audits WHERE id = c.audit_id)
                                          AND q.key = m.question_key
            LEFT JOIN answers a ON a.return_id = r.id AND a.question_id = q.id
            WHERE c.audit_id = @auditId AND (@agencyId IS NULL OR r.agency_id = @agencyId)
            ORDER BY c.position, m.question_key, r.agency_id
            """, new { auditId, agencyId });
        return rows.Select(r => new ModerationGradeRow(r.CaseRef, r.QuestionKey, r.AgencyId, r.Value)).ToList();
    }

    internal static DbCommand Command(DbConnection connection, long auditId, long? agencyId)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        var audit = command.CreateParameter();
        audit.ParameterName = "@auditId";
        audit.DbType = System.Data.DbType.Int64;
        audit.Value = auditId;
        command.Parameters.Add(audit);
        var agency = command.CreateParameter();
        agency.ParameterName = "@agencyId";
        agency.DbType = System.Data.DbType.Int64; // typed even when null: PostgreSQL must know what "IS NULL" compares
        agency.Value = agencyId is { } a ? a : DBNull.Value;
        command.Parameters.Add(agency);
        return command;
    }
}
