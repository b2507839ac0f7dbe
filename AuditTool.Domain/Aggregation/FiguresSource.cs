using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

/// <summary>
/// Everything the figures of one audit are computed from, read in a few round trips (never a query per answer).
/// The returns stream from the database, one return and its answers at a time, in consecutive <see cref="Parts"/> (all
/// of them, in order, when read one after the other) that may be read at the same time: enumerate each once.
/// </summary>
public sealed record AggregationInput(
    Audit Audit,
    TemplateDefinition Template,
    IReadOnlyList<IEnumerable<ReturnData>> Parts,
    IReadOnlyList<ModerationData> Moderation);

public interface IFiguresSource
{
    Task<AggregationInput?> LoadAsync(long auditId);
}
