using AuditTool.Domain.Audits;
using Dapper;

namespace AuditTool.Data;

public sealed class AuditQueries(ConnectionFactory factory) : IAuditQueries
{
    private const string SummarySql = """
        SELECT a.id AS Id, a.title AS Title, a.kind AS Kind, a.status AS Status, v.title AS TemplateTitle, a.deadline AS Deadline,
               (SELECT COUNT(*) FROM audit_cases c WHERE c.audit_id = a.id) AS Cases,
               (SELECT COUNT(*) FROM agency_returns r WHERE r.audit_id = a.id) AS Returns,
               (SELECT COUNT(*) FROM agency_returns r WHERE r.audit_id = a.id AND r.status = 'submitted') AS Submitted,
               a.published_utc AS PublishedUtc
        FROM audits a JOIN template_versions v ON v.id = a.template_version_id
        """;

    public async Task<IReadOnlyList<AuditSummary>> GetSummariesAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<SummaryRow>(SummarySql + " ORDER BY a.created_utc DESC");
        return rows.Select(r => r.ToSummary()).ToList();
    }

    public async Task<IReadOnlyList<AuditSummary>> GetPublishedAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<SummaryRow>(
            SummarySql + " WHERE a.status IN ('published', 'closed') ORDER BY a.published_utc DESC");
        return rows.Select(r => r.ToSummary()).ToList();
    }

    public async Task<IReadOnlyList<ReturnSummary>> GetReturnsForAgencyAsync(long agencyId)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<ReturnRow>("""
            SELECT r.id AS Id, a.id AS AuditId, a.title AS AuditTitle, c.ref AS CaseRef, g.name AS AgencyName, r.status AS Status,
                   a.deadline AS Deadline, a.status AS AuditStatus
            FROM agency_returns r
            JOIN audits a ON a.id = r.audit_id
            JOIN audit_cases c ON c.id = r.case_id
            JOIN agencies g ON g.id = r.agency_id
            WHERE r.agency_id = @agencyId AND a.status <> 'planning'
            ORDER BY a.deadline, a.id, c.position, c.ref
            """, new { agencyId });
        return rows.Select(r => new ReturnSummary(r.Id, r.AuditId, r.AuditTitle, r.CaseRef, r.AgencyName, r.Status,
            Utc.ParseDate(r.Deadline), r.AuditStatus)).ToList();
    }

    private sealed class SummaryRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Kind { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public string TemplateTitle { get; set; } = string.Empty;
        public string? Deadline { get; set; }
        public long Cases { get; set; }
        public long Returns { get; set; }
        public long Submitted { get; set; }
        public string? PublishedUtc { get; set; }


        public AuditSummary ToSummary() => new(Id, Title, Kind, Status, TemplateTitle, Utc.ParseDate(Deadline), (int)Cases,
            (int)Returns, (int)Submitted, Utc.ParseOrNull(PublishedUtc));
    }

    private sealed class ReturnRow
    {
        public long Id { get; set; }
        public long AuditId { get; set; }
        public string AuditTitle { get; set; } = string.Empty;
        public string CaseRef { get; set; } = string.Empty;
        public string AgencyName { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public string? Deadline { get; set; }
        public string AuditStatus { get; set; } = string.Empty;
    }
}
