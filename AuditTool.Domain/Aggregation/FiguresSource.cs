using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

/// <summary>
/// Everything the figures of one audit are computed from, read in a few round trips (never a query per answer).
/// <see cref="Returns"/> streams from the database, one return and its answers at a time: enumerate it once.
/// </summary>
public sealed record AggregationInput(
    Audit Audit,
    TemplateDefinition Template,
    IEnumerable<ReturnData> Returns,
    IReadOnlyList<ModerationData> Moderation);

public interface IFiguresSource
{
    Task<AggregationInput?> LoadAsync(long auditId);
}
