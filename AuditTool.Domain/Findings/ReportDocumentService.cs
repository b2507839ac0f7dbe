using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Findings;

/// <summary>Writes a report as a document for board papers (a Word file): infrastructure behind this interface.</summary>
public interface IReportDocumentWriter
{
    Task WriteAsync(ReportView report, Stream output, CancellationToken cancellationToken = default);
}

/// <summary>
/// A published audit's report as a Word document, for executives, managers and scrutineers: exactly what the report
/// page shows (aggregates, curated findings and quotes, charts, actions), never a case reference, answer or evidence.
/// Every export is written to the audit log.
/// </summary>
public sealed class ReportDocumentService(
    ReportService reports,
    IAuditRepository audits,
    AccessPolicy access,
    IReportDocumentWriter writer,
    IAuditLog log,
    TimeProvider clock)
{
    /// <returns>The file name to offer, e.g. "report-7-children-disengaged-from-education.docx".</returns>
    public async Task<string> ExportAsync(Actor actor, long auditId, Stream output, CancellationToken cancellationToken = default)
    {
        await access.RequireAsync(actor, "reports.document", Role.Scrutineer, Role.Manager, Role.Executive);
        var audit = await audits.GetByIdAsync(auditId);
        if (audit is null || audit.Status is not (AuditStatuses.Published or AuditStatuses.Closed))
        {
            await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName,
                "access-refused", "audit", auditId.ToString(), null, "reports.document"));
            throw new AccessDeniedException("The Word report is made for published audits only.");
        }

        var report = await reports.GetAsync(actor, auditId);
        await writer.WriteAsync(report, output, cancellationToken);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName, "export",
            "report", auditId.ToString(), null, "docx"));
        return $"report-{auditId}-{FileNames.Slug(audit.Title)}.docx";
    }
}
