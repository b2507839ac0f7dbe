using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Concerns;

/// <summary>The steps of a safeguarding concern, in order.</summary>
public static class ConcernStates
{
    public const string Raised = "raised";
    public const string Acknowledged = "acknowledged";
    public const string ActionRecorded = "action-recorded";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Raised, Acknowledged, ActionRecorded, Closed];

    public static string Label(string state) => state switch
    {
        Raised => "Raised, not acknowledged",
        Acknowledged => "Acknowledged",
        ActionRecorded => "Action recorded",
        Closed => "Closed",
        _ => state,
    };
}

/// <summary>
/// A safeguarding concern found while auditing a case: a child who may be at risk now. Its description and who was
/// told are case content. <see cref="CaseAgencyIds"/>: the agencies with a return on the case (their leads receive it).
/// </summary>
public sealed record Concern(
    long Id,
    long AuditId,
    string AuditTitle,
    string AuditStatus,
    long CaseId,
    string CaseRef,
    long? RaisedAgencyId,
    string Description,
    string Told,
    string State,
    long? RaisedBy,
    string RaisedByName,
    DateTimeOffset RaisedUtc,
    string? AcknowledgedByName,
    DateTimeOffset? AcknowledgedUtc,
    string? ActionTaken,
    string? ActionByName,
    DateTimeOffset? ActionUtc,
    string? ClosedByName,
    DateTimeOffset? ClosedUtc,
    IReadOnlyList<long> CaseAgencyIds)
{
    public bool IsOpen => State != ConcernStates.Closed;
}

public sealed record NewConcern(long AuditId, long CaseId, long? RaisedAgencyId, string Description, string Told, long? RaisedBy,
    string RaisedByName, DateTimeOffset RaisedUtc);

/// <summary>A concern as carried by an audit package (by case reference and agency key, not ids).</summary>
public sealed record PackagedConcern(
    string CaseRef,
    string? RaisedAgencyKey,
    string Description,
    string Told,
    string State,
    string RaisedByName,
    DateTimeOffset RaisedUtc,
    string? AcknowledgedByName,
    DateTimeOffset? AcknowledgedUtc,
    string? ActionTaken,
    string? ActionByName,
    DateTimeOffset? ActionUtc,
    string? ClosedByName,
    DateTimeOffset? ClosedUtc);

/// <summary>
/// Concerns. Each step is one statement guarded by the state it moves from, with its audit log line, in one
/// transaction: two leads acknowledging at once, one wins and the other is told it moved.
/// </summary>
public interface IConcernRepository
{
    /// <summary>Writes the concern and its log line (entity id filled in).</summary>
    Task<long> CreateAsync(NewConcern concern, AuditLogEntry log);

    Task<Concern?> GetByIdAsync(long id);

    /// <summary>Every concern, or an audit's, oldest first.</summary>
    Task<IReadOnlyList<Concern>> GetManyAsync(long? auditId = null);

    Task<bool> AcknowledgeAsync(long id, long? userId, string userName, DateTimeOffset now, AuditLogEntry log);

    Task<bool> RecordActionAsync(long id, string action, long? userId, string userName, DateTimeOffset now, AuditLogEntry log);

    Task<bool> CloseAsync(long id, long? userId, string userName, DateTimeOffset now, AuditLogEntry log);
}

/// <summary>
/// What the report, the Word report and the Excel summary say of concerns (PRODUCT.md "Figures"): cases with at least
/// one concern raised ("escalated"), and of those the cases whose concerns are all closed with an action recorded.
/// Counts only, never a description.
/// </summary>
public sealed record ConcernFigures(int CasesEscalated, int CasesClosedWithAction, int Open, int Unacknowledged)
{
    public static ConcernFigures None { get; } = new(0, 0, 0, 0);

    public static ConcernFigures From(IEnumerable<Concern> concerns)
    {
        var list = concerns.ToList();
        var byCase = list.GroupBy(c => c.CaseId).ToList();
        return new ConcernFigures(
            byCase.Count,
            byCase.Count(g => g.All(c => c.State == ConcernStates.Closed && c.ActionUtc is not null)),
            list.Count(c => c.IsOpen),
            list.Count(c => c.State == ConcernStates.Raised));
    }
}
