using System.Globalization;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>Safeguarding concerns; each step one guarded update with its log line in one write transaction.</summary>
public sealed class ConcernRepository(ConnectionFactory factory) : IConcernRepository
{
    private const string Select = """
        SELECT x.id AS Id, x.audit_id AS AuditId, a.title AS AuditTitle, a.status AS AuditStatus, x.case_id AS CaseId, c.ref AS CaseRef,
               x.raised_agency_id AS RaisedAgencyId, x.description AS Description, x.told AS Told, x.state AS State,
               x.raised_by AS RaisedBy, x.raised_by_name AS RaisedByName, x.raised_utc AS RaisedUtc,
               x.acknowledged_name AS AcknowledgedName, x.acknowledged_utc AS AcknowledgedUtc,
               x.action_taken AS ActionTaken, x.action_name AS ActionName, x.action_utc AS ActionUtc,
               x.closed_name AS ClosedName, x.closed_utc AS ClosedUtc
        FROM concerns x JOIN audits a ON a.id = x.audit_id JOIN audit_cases c ON c.id = x.case_id
        """;

    public async Task<long> CreateAsync(NewConcern concern, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO concerns (audit_id, case_id, raised_agency_id, description, told, state, raised_by, raised_by_name, raised_utc)
            VALUES (@AuditId, @CaseId, @RaisedAgencyId, @Description, @Told, 'raised', @RaisedBy, @RaisedByName, @at)
            RETURNING id
            """, new
            {
                concern.AuditId,
                concern.CaseId,
                concern.RaisedAgencyId,
                concern.Description,
                concern.Told,
                concern.RaisedBy,
                concern.RaisedByName,
                at = Utc.Format(concern.RaisedUtc),
            }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log with { EntityId = id.ToString(CultureInfo.InvariantCulture) });
        await tx.CommitAsync();
        return id;
    }

    public async Task<Concern?> GetByIdAsync(long id) => (await ReadAsync($"{Select} WHERE x.id = @id", new { id })).SingleOrDefault();

    public Task<IReadOnlyList<Concern>> GetManyAsync(long? auditId = null) => auditId is { } a
        ? ReadAsync($"{Select} WHERE x.audit_id = @a ORDER BY x.id", new { a })
        : ReadAsync($"{Select} ORDER BY x.id", null);

    public Task<bool> AcknowledgeAsync(long id, long? userId, string userName, DateTimeOffset now, AuditLogEntry log) => StepAsync("""
        UPDATE concerns SET state = 'acknowledged', acknowledged_by = @userId, acknowledged_name = @userName, acknowledged_utc = @now
        WHERE id = @id AND state = 'raised'
        """, new { id, userId, userName, now = Utc.Format(now) }, log);

    public Task<bool> RecordActionAsync(long id, string action, long? userId, string userName, DateTimeOffset now, AuditLogEntry log) => StepAsync("""
        UPDATE concerns SET state = 'action-recorded', action_taken = @action, action_by = @userId, action_name = @userName, action_utc = @now
        WHERE id = @id AND state = 'acknowledged'
        """, new { id, action, userId, userName, now = Utc.Format(now) }, log);

    public Task<bool> CloseAsync(long id, long? userId, string userName, DateTimeOffset now, AuditLogEntry log) => StepAsync("""
        UPDATE concerns SET state = 'closed', closed_by = @userId, closed_name = @userName, closed_utc = @now
        WHERE id = @id AND state IN ('acknowledged', 'action-recorded')
        """, new { id, userId, userName, now = Utc.Format(now) }, log);

    private Task<bool> StepAsync(string sql, object parameters, AuditLogEntry log) => AuditLogWriter.ChangeOneRowAsync(factory, sql, parameters, log);

    private async Task<IReadOnlyList<Concern>> ReadAsync(string sql, object? parameters)
    {
        using var connection = await factory.OpenAsync();
        var rows = (await connection.QueryAsync<Row>(sql, parameters)).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var caseIds = rows.Select(r => r.CaseId).Distinct().ToArray();
        // The agencies on each case: those with a return for it (their safeguarding leads receive its concerns).
        var onCase = (await connection.QueryAsync<(long CaseId, long AgencyId)>(
                "SELECT DISTINCT case_id, agency_id FROM agency_returns WHERE case_id IN (SELECT case_id FROM concerns)"))
            .Where(x => caseIds.Contains(x.CaseId))
            .ToLookup(x => x.CaseId, x => x.AgencyId);
        return rows.Select(r => new Concern(r.Id, r.AuditId, r.AuditTitle, r.AuditStatus, r.CaseId, r.CaseRef, r.RaisedAgencyId, r.Description,
            r.Told, r.State, r.RaisedBy, r.RaisedByName, Utc.Parse(r.RaisedUtc), r.AcknowledgedName, Utc.ParseOrNull(r.AcknowledgedUtc),
            r.ActionTaken, r.ActionName, Utc.ParseOrNull(r.ActionUtc), r.ClosedName, Utc.ParseOrNull(r.ClosedUtc),
            onCase[r.CaseId].Order().ToList())).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string AuditTitle { get; set; } = string.Empty;
        public string AuditStatus { get; set; } = string.Empty;
        public long CaseId { get; set; }
        public string CaseRef { get; set; } = string.Empty;
        public long? RaisedAgencyId { get; set; }
        public string Description { get; set; } = string.Empty;
        public string Told { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public long? RaisedBy { get; set; }
        public string RaisedByName { get; set; } = string.Empty;
        public string RaisedUtc { get; set; } = string.Empty;
        public string? AcknowledgedName { get; set; }
        public string? AcknowledgedUtc { get; set; }
        public string? ActionTaken { get; set; }
        public string? ActionName { get; set; }
        public string? ActionUtc { get; set; }
        public string? ClosedName { get; set; }
        public string? ClosedUtc { get; set; }
    }
}
