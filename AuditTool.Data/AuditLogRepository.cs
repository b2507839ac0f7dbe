using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

public sealed class AuditLogRepository(ConnectionFactory factory) : IAuditLog
{
    private const string Columns = """
        l.id AS Id, l.at_utc AS AtUtc, l.user_name AS UserName, l.action AS Action, l.entity AS Entity, l.entity_id AS EntityId,
        a.title AS AuditTitle, l.case_ref AS CaseRef, COALESCE(g.name, l.agency_key) AS AgencyName,
        l.old_values AS OldValues, l.new_values AS NewValues, l.case_content AS CaseContent
        FROM audit_log l LEFT JOIN audits a ON a.id = l.audit_id LEFT JOIN agencies g ON g.key = l.agency_key
        """;

    public async Task WriteAsync(AuditLogEntry entry)
    {
        using var connection = await factory.OpenAsync();
        await AuditLogWriter.WriteAsync(connection, null, entry);
    }

    public async Task<IReadOnlyList<AuditLogLine>> GetLatestAsync(int count)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} ORDER BY l.id DESC LIMIT @count", new { count });
        return rows.Select(r => r.ToLine()).ToList();
    }

    public async Task<AuditLogPage> SearchAsync(AuditLogQuery query)
    {
        using var connection = await factory.OpenAsync();
        var parameters = new
        {
            user = query.UserName is null ? null : "%" + query.UserName.Replace("%", "").Replace("_", "") + "%",
            query.Entity,
            query.AuditId,
            from = query.From is { } f ? f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            to = query.To is { } t ? t.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            query.Skip,
            query.Take,
        };
        const string where = """
            WHERE (@user IS NULL OR lower(l.user_name) LIKE lower(@user)) AND (@Entity IS NULL OR l.entity = @Entity)
              AND (@AuditId IS NULL OR l.audit_id = @AuditId)
              AND (@from IS NULL OR l.at_utc >= @from) AND (@to IS NULL OR l.at_utc < @to)
            """;
        using var grid = await connection.QueryMultipleAsync($"""
            SELECT COUNT(*) FROM audit_log l {where};
            SELECT {Columns} {where} ORDER BY l.id DESC LIMIT @Take OFFSET @Skip;
            """, parameters);
        var total = await grid.ReadSingleAsync<int>();
        var rows = await grid.ReadAsync<Row>();
        return new AuditLogPage(rows.Select(r => r.ToLine()).ToList(), total);
    }

    public async Task<IReadOnlyList<string>> GetEntitiesAsync()
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT DISTINCT entity FROM audit_log ORDER BY entity")).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string AtUtc { get; set; } = string.Empty;
        public string UserName { get; set; } = string.Empty;
        public string Action { get; set; } = string.Empty;
        public string Entity { get; set; } = string.Empty;
        public string? EntityId { get; set; }
        public string? AuditTitle { get; set; }
        public string? CaseRef { get; set; }
        public string? AgencyName { get; set; }
        public string? OldValues { get; set; }
        public string? NewValues { get; set; }
        public long CaseContent { get; set; }

        public AuditLogLine ToLine() => new(Id, Utc.Parse(AtUtc), UserName, Action, Entity, EntityId, AuditTitle, CaseRef, AgencyName,
            OldValues, NewValues, CaseContent != 0);
    }
}
