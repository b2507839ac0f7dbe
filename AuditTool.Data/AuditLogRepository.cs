using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

public sealed class AuditLogRepository(ConnectionFactory factory) : IAuditLog
{
    public async Task WriteAsync(AuditLogEntry entry)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO audit_log (at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values)
            VALUES (@At, @UserId, @UserName, @Action, @Entity, @EntityId, @OldValues, @NewValues)
            """,
            new
            {
                At = Utc.Format(entry.AtUtc),
                entry.UserId,
                entry.UserName,
                entry.Action,
                entry.Entity,
                entry.EntityId,
                entry.OldValues,
                entry.NewValues,
            });
    }

    public async Task<IReadOnlyList<AuditLogEntry>> GetLatestAsync(int count)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<Row>("""
            SELECT at_utc AS AtUtc, user_id AS UserId, user_name AS UserName, action AS Action, entity AS Entity,
                   entity_id AS EntityId, old_values AS OldValues, new_values AS NewValues
            FROM audit_log ORDER BY id DESC LIMIT @count
            """, new { count });
        return rows.Select(r => new AuditLogEntry(Utc.Parse(r.AtUtc), r.UserId, r.UserName, r.Action, r.Entity, r.EntityId,
            r.OldValues, r.NewValues)).ToList();
    }

    public async Task<AuditLogPage> SearchAsync(AuditLogQuery query)
    {
        using var connection = await factory.OpenAsync();
        var parameters = new
        {
            user = query.UserName is null ? null : "%" + query.UserName.Replace("%", "").Replace("_", "") + "%",
            query.Entity,
            from = query.From is { } f ? f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            to = query.To is { } t ? t.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            query.Skip,
            query.Take,
        };
        const string where = """
            WHERE (@user IS NULL OR lower(user_name) LIKE lower(@user)) AND (@Entity IS NULL OR entity = @Entity)
              AND (@from IS NULL OR at_utc >= @from) AND (@to IS NULL OR at_utc < @to)
            """;
        using var grid = await connection.QueryMultipleAsync($"""
            SELECT COUNT(*) FROM audit_log {where};
            SELECT at_utc AS AtUtc, user_id AS UserId, user_name AS UserName, action AS Action, entity AS Entity,
                   entity_id AS EntityId, old_values AS OldValues, new_values AS NewValues
            FROM audit_log {where} ORDER BY id DESC LIMIT @Take OFFSET @Skip;
            """, parameters);
        var total = await grid.ReadSingleAsync<int>();
        var rows = await grid.ReadAsync<Row>();
        return new AuditLogPage(rows.Select(r => new AuditLogEntry(Utc.Parse(r.AtUtc), r.UserId, r.UserName, r.Action, r.Entity, r.EntityId,
            r.OldValues, r.NewValues)).ToList(), total);
    }

    public async Task<IReadOnlyList<string>> GetEntitiesAsync()
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT DISTINCT entity FROM audit_log ORDER BY entity")).ToList();
    }

    private sealed class Row
    {
        public string AtUtc { get; set; } = string.Empty;
        public long? UserId { get; set; }
        public string UserName { get; set; } = string.Empty;
        public string Action { get; set; } = string.Empty;
        public string Entity { get; set; } = string.Empty;
        public string? EntityId { get; set; }
        public string? OldValues { get; set; }
        public string? NewValues { get; set; }
    }
}
