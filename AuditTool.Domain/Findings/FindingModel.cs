using AuditTool.Domain.Logging;
namespace AuditTool.Domain.Findings;

public static class FindingKinds
{
    public const string Strength = "strength";
    public const string Development = "development";

    public static string Label(string kind) => kind == Strength ? "Area of strength" : "Area for development";
}

public static class ActionStatuses
{
    public const string Open = "open";
    public const string InProgress = "in-progress";
    public const string Done = "done";

    public static IReadOnlyList<string> All { get; } = [Open, InProgress, Done];

    public static string Label(string status) => status switch
    {
        Open => "Open",
        InProgress => "In progress",
        Done => "Done",
        _ => status,
    };
}

/// <summary>A curated finding: the scrutineer's narrative, linked to the questions and themes that evidence it.</summary>
public sealed record Finding(
    long Id,
    long AuditId,
    string Kind,
    string Title,
    string Narrative,
    int Position,
    IReadOnlyList<string> QuestionKeys,
    IReadOnlyList<string> Themes,
    string Source);

/// <summary>A short evidence quote on a finding: the scrutineer's curated words, edited to remove anything identifying.</summary>
public sealed record FindingQuote(long Id, long FindingId, int Position, string Text);

/// <summary>An evidence note a quote may be drawn from (for the scrutineer, who reads every return).</summary>
public sealed record QuoteSource(long ReturnId, string CaseRef, string AgencyName, string QuestionKey, string QuestionText, string Evidence);

/// <summary>An action agreed from a finding: owned by one agency, due by a date, followed up until done.</summary>
public sealed record AuditAction(
    long Id,
    long AuditId,
    long? FindingId,
    string Description,
    long? OwnerAgencyId,
    DateOnly? DueDate,
    string Status,
    DateTimeOffset UpdatedUtc)
{
    public bool IsOverdue(DateOnly today) => Status != ActionStatuses.Done && DueDate is { } due && due < today;
}

public sealed record Moderation(long CaseId, string CaseRef, string QuestionKey, string Value, string Rationale, long? ModeratedBy, DateTimeOffset ModeratedUtc);

public interface IFindingRepository
{
    Task<IReadOnlyList<Finding>> GetByAuditAsync(long auditId);

    Task<long> CreateAsync(Finding finding, DateTimeOffset now);

    Task ReplaceAsync(Finding finding, DateTimeOffset now);

    Task DeleteAsync(long findingId);

    Task<IReadOnlyList<FindingQuote>> GetQuotesByAuditAsync(long auditId);

    Task<long> AddQuoteAsync(long findingId, string text, long? sourceReturnId, string? sourceQuestionKey, long? userId, DateTimeOffset now);

    Task<bool> DeleteQuoteAsync(long findingId, long quoteId);

    /// <summary>Evidence notes of the audit's submitted returns, for the questions given (all questions when empty).</summary>
    Task<IReadOnlyList<QuoteSource>> GetQuoteSourcesAsync(long auditId, IReadOnlyList<string> questionKeys);
}

public interface IActionRepository
{
    Task<IReadOnlyList<AuditAction>> GetByAuditAsync(long auditId);

    Task<IReadOnlyList<AuditAction>> GetByOwnerAsync(long agencyId);

    Task<AuditAction?> GetByIdAsync(long actionId);

    Task<long> CreateAsync(AuditAction action, DateTimeOffset now);

    Task ReplaceAsync(AuditAction action, DateTimeOffset now);

    Task DeleteAsync(long actionId);
}

public interface IModerationRepository
{
    Task<IReadOnlyList<Moderation>> GetByAuditAsync(long auditId);

    /// <summary>Records the moderated value and writes its log line, in one transaction.</summary>
    Task UpsertAsync(long caseId, string questionKey, string value, string rationale, long? userId, DateTimeOffset now, AuditLogEntry log);

    /// <summary>Clears the moderated value and writes its log line, in one transaction; false when there was none.</summary>
    Task<bool> DeleteAsync(long caseId, string questionKey, AuditLogEntry log);
}
