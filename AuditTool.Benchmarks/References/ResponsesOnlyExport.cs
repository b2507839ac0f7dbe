using AuditTool.Domain.Agencies;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.References;

/// <summary>
/// The product's own workbook writer (IWorkbookWriter, the export's XlsxWorkbookWriter) and response source, given
/// empty figures, findings, actions and moderation: the Responses sheet is written exactly as the export writes it,
/// and the other six sheets are a header row each (Summary a few rows). No aggregation runs beside it. This is the
/// product's counterpart of <see cref="SpreadCheetahWriter.WriteProductSheetAsync"/>.
/// </summary>
public static class ResponsesOnlyExport
{
    public static async Task WriteAsync(IServiceProvider services, long auditId, string path)
    {
        var audit = await services.GetRequiredService<IAuditRepository>().GetByIdAsync(auditId)
            ?? throw new InvalidOperationException($"Audit {auditId} does not exist.");
        var template = await services.GetRequiredService<ITemplateRepository>().GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException($"Audit {auditId} has no template.");
        var agencies = (await services.GetRequiredService<IAgencyRepository>().GetAllAsync()).ToDictionary(a => a.Id);
        var responses = services.GetRequiredService<IResponseSource>();

        var noFigures = new AuditFigures([], [], [], [],
            new ModerationAgreement(new AgreementFigures(0, 0, null, 0, null), new Dictionary<long, AgreementFigures>()), 0, 0, null);
        var view = new FiguresView(audit, template, noFigures, [], null, null, [], agencies);
        var content = new WorkbookContent(audit, template, agencies, Task.FromResult(view), [], [], [], [], null,
            await responses.CountAsync(auditId, null), DateTimeOffset.UtcNow, "benchmark");

        // As the export job: a file with a 64 KB buffer.
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await services.GetRequiredService<IWorkbookWriter>().WriteAsync(content, responses, file, null);
    }
}
