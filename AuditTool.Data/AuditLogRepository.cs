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
        using var tx = await factory.BeginWriteAsync(connection);
        await AuditLogWriter.WriteAsync(connection, tx, entry);
        await tx.CommitAsync();
    }

    public async IAsyncEnumerable<ChainedLine> ReadChainAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        await using var connection = await factory.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values, audit_id, case_ref,
                   agency_key, case_content, prev_hash, hash
            FROM audit_log ORDER BY id
            """;
        await using var reader = await command.ExecuteReaderAsync(cancel);
        while (await reader.ReadAsync(cancel))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            long? Number(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
            yield return new ChainedLine(reader.GetInt64(0), reader.GetString(1), Number(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), Text(6), Text(7), Text(8), Number(9), Text(10), Text(11), reader.GetInt64(12) == 1, Text(13), Text(14));
        }
    }

    public async Task RecordCheckAsync(AuditLogCheckRecord check)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO audit_log_checks (at_utc, checked_by, entries, intact, first_broken_id, message, last_id, last_hash)
            VALUES (@at, @CheckedBy, @Entries, @intact, @FirstBrokenId, @Message, @LastId, @LastHash)
            """, new
            {
                at = Utc.Format(check.AtUtc),
                check.CheckedBy,
                check.Entries,
                intact = check.Intact ? 1 : 0,
                check.FirstBrokenId,
                check.Message,
                check.LastId,
                check.LastHash,
            });
    }

    public async Task<AuditLogCheckRecord?> GetLastCheckAsync(bool intactOnly = false)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<CheckRow>($"""
            SELECT at_utc AS AtUtc, checked_by AS CheckedBy, entries AS Entries, intact AS Intact, first_broken_id AS FirstBrokenId,
                   message AS Message, last_id AS LastId, last_hash AS LastHash
            FROM audit_log_checks {(intactOnly ? "WHERE intact = 1" : "")} ORDER BY id DESC LIMIT 1
            """);
        return row is null ? null : new AuditLogCheckRecord(Utc.Parse(row.AtUtc), row.CheckedBy, row.Entries, row.Intact == 1,
            row.FirstBrokenId, row.Message, row.LastId, row.LastHash);
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

    public async Task<IReadOnlyList<AuditLogAnchor>> GetAnchorsAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(string AtUtc, string Reason, long? AuditId, long FirstId, long LastId, long LinesBlanked)>(
            "SELECT at_utc, reason, audit_id, first_id, last_id, lines_blanked FROM audit_log_anchors WHERE open = 0 ORDER BY id");
        return rows.Select(r => new AuditLogAnchor(Utc.Parse(r.AtUtc), r.Reason, r.AuditId, r.FirstId, r.LastId, (int)r.LinesBlanked)).ToList();
    }

    private sealed class CheckRow
    {
        public string AtUtc { get; set; } = string.Empty;
        public string CheckedBy { get; set; } = string.Empty;
        public long Entries { get; set; }
        public long Intact { get; set; }
        public long? FirstBrokenId { get; set; }
        public string Message { get; set; } = string.Empty;
        public long? LastId { get; set; }
        public string? LastHash { get; set; }
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
