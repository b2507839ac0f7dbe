using AuditTool.Domain.Logging;
namespace AuditTool.Domain.Audits;

/// <summary>A sampled case: a pseudonymised reference and its attributes (never a name).</summary>
public sealed record AuditCase(long Id, long AuditId, string Ref, IReadOnlyDictionary<string, string> Attributes, string Source, int Position);

public static class CaseSources
{
    public const string Sample = "sample";
    public const string Hand = "hand";
    public const string Import = "import";
}

/// <summary>One agency's return for one case.</summary>
public sealed record AgencyReturn(
    long Id,
    long AuditId,
    long CaseId,
    string CaseRef,
    long AgencyId,
    long? AuditorUserId,
    string Status,
    string? ReturnedComment,
    DateTimeOffset? SubmittedUtc,
    DateTimeOffset UpdatedUtc);

/// <summary>A stored answer: the option value, a JSON list for multichoice, or the number, date or text as written.</summary>
public sealed record StoredAnswer(string QuestionKey, string? Value, string? Evidence, DateTimeOffset UpdatedUtc, long? UpdatedBy);

public sealed record CohortEntry(int Position, string Ref, IReadOnlyDictionary<string, string> Attributes);

public sealed record NewCase(string Ref, IReadOnlyDictionary<string, string> Attributes, string Source);

/// <summary>The outcome of saving one answer or note: the return's status afterwards and when it was stored.</summary>
public sealed record SaveResult(string ReturnStatus, DateTimeOffset SavedUtc);

public interface IAuditRepository
{
    Task<long> CreateAsync(Audit audit, IReadOnlyList<long> agencyIds);

    Task<Audit?> GetByIdAsync(long id);

    Task<IReadOnlyList<Audit>> GetManyAsync();

    /// <summary>
    /// Saves the audit as changed (its plan, sample record or status) with its log line, and, when publishing, its figures,
    /// in one transaction, only if nobody saved it since it was read (<see cref="Audit.ReadVersion"/>): false otherwise,
    /// and nothing is written.
    /// </summary>
    Task<bool> ReplaceAsync(Audit audit, AuditLogEntry log, Aggregation.StoredFigures? figures = null);

    Task<IReadOnlyList<long>> GetAgencyIdsAsync(long auditId);

    Task SetAgenciesAsync(long auditId, IReadOnlyList<long> agencyIds);

    Task ReplaceCohortAsync(long auditId, IReadOnlyList<CohortEntry> cohort);

    Task<IReadOnlyList<CohortEntry>> GetCohortAsync(long auditId);

    Task<IReadOnlyList<AuditCase>> GetCasesAsync(long auditId);

    /// <summary>Adds cases and a return for each (case, agency) in one transaction; refs already in the audit are refused.</summary>
    Task<IReadOnlyList<long>> AddCasesAsync(long auditId, IReadOnlyList<NewCase> cases, IReadOnlyList<long> agencyIds, DateTimeOffset now);

    /// <summary>Removes a case and its returns; false when any of its returns has an answer.</summary>
    Task<bool> RemoveCaseAsync(long auditId, long caseId);

    /// <summary>Makes the case's returns exactly these agencies; returns with answers are kept (the agencies that keep them are returned).</summary>
    Task<IReadOnlyList<long>> SetCaseAgenciesAsync(long auditId, long caseId, IReadOnlyList<long> agencyIds, DateTimeOffset now);

    Task<IReadOnlyList<AgencyReturn>> GetReturnsAsync(long auditId);

    Task<AgencyReturn?> GetReturnAsync(long returnId);

    Task SetAuditorAsync(long returnId, long? userId, DateTimeOffset now);

    Task<IReadOnlyList<StoredAnswer>> GetAnswersAsync(long returnId);

    /// <summary>Every answer of an audit by return, for aggregation and export (one query).</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<StoredAnswer>>> GetAnswersByAuditAsync(long auditId);

    /// <summary>Stores one answer (insert or replace), moving a not-started return to in progress and writing the audit
    /// log line, in one transaction. Null when the return is no longer editable (submitted, or the audit is not open).</summary>
    Task<SaveResult?> SaveAnswerAsync(long returnId, string questionKey, string? value, long? userId, string userName, DateTimeOffset now);

    Task<SaveResult?> SaveEvidenceAsync(long returnId, string questionKey, string? evidence, long? userId, string userName, DateTimeOffset now);

    /// <summary>
    /// Moves a return from one status to another (only if it is still in <paramref name="fromStatus"/>) and writes its
    /// log line, named by the return's audit, case and agency, in one transaction. False when it had moved meanwhile.
    /// </summary>
    Task<bool> SetReturnStatusAsync(long returnId, string fromStatus, string toStatus, string? comment, DateTimeOffset now, AuditLogEntry log);
}
