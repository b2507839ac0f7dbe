using AuditTool.Domain.Findings;

namespace AuditTool.Domain.Exports;

/// <summary>One answer as the Responses sheet shows it, read row by row from the database.</summary>
public sealed record ResponseRow(string CaseRef, long AgencyId, string Status, string QuestionKey, string? Value, string? Evidence);

/// <summary>Reads an audit's answers in sheet order without holding them all in memory.</summary>
public interface IResponseSource
{
    IAsyncEnumerable<ResponseRow> ReadAsync(long auditId, long? agencyId, CancellationToken cancellationToken = default);

    Task<int> CountAsync(long auditId, long? agencyId);

    /// <summary>Each submitted return's answer to each moderated question of its case (one agency's, when given).</summary>
    Task<IReadOnlyList<ModerationGradeRow>> GetModeratedGradesAsync(long auditId, long? agencyId);
}

/// <summary>
/// Everything a workbook holds besides the streamed responses. The figures are still being computed while the
/// responses stream out (the export awaits them afterwards), so the two passes over the answers run side by side.
/// </summary>
public sealed record WorkbookContent(
    Audits.Audit Audit,
    Templates.TemplateDefinition Template,
    IReadOnlyDictionary<long, Agencies.Agency> Agencies,
    Task<FiguresView> Figures,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<AuditAction> Actions,
    IReadOnlyList<Moderation> Moderation,
    IReadOnlyList<ModerationGradeRow> Grades,
    long? AgencyOnly,
    int Responses,
    DateTimeOffset ExportedUtc,
    string ExportedBy)
{
    /// <summary>Safeguarding concerns in counts (never a description): the Summary sheet's "Impact" rows.</summary>
    public Concerns.ConcernFigures Concerns { get; init; } = AuditTool.Domain.Concerns.ConcernFigures.None;
}

/// <summary>An agency's graded answer to a moderated question of a case (for the Moderation sheet).</summary>
public sealed record ModerationGradeRow(string CaseRef, string QuestionKey, long AgencyId, string? Value);

/// <summary>Writes the audit workbook (.xlsx) to a stream, streaming the responses from the source.</summary>
public interface IWorkbookWriter
{
    Task WriteAsync(WorkbookContent content, IResponseSource responses, Stream output, IProgress<double>? progress,
        CancellationToken cancellationToken = default);
}
