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

/// <summary>One answer's value (<paramref name="IsValue"/>) or evidence note to save, by whom and when; <paramref name="News"/>
/// is sent to the other servers with the change itself (on PostgreSQL), so they hear of it only if it lands.</summary>
public sealed record FieldSave(long ReturnId, string QuestionKey, bool IsValue, long? UserId, string UserName, DateTimeOffset Now,
    ServerNews? News);

/// <summary>
/// What a save is decided from, read with the write lock held, in one round trip: the saving account (null when there
/// is no account with that id, or the system saves), the return (null when there is none) with its audit, agency kind and
/// the question's id in the audit's template (null when the template has no such question), the field as it was, and
/// every stored answer of the return (conditions are decided from them).
/// </summary>
public sealed record FieldSaveContext(
    Accounts.User? Saver,
    AgencyReturn? Return,
    Audit? Audit,
    string? AgencyKind,
    long? QuestionId,
    string? Before,
    IReadOnlyList<StoredAnswer> Answers);

/// <summary>A message for the other servers on the database (PostgreSQL's NOTIFY): its channel and its text.</summary>
public sealed record ServerNews(string Channel, string Payload);

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

    /// <summary>One stored answer of a return by its question's key (null when it has none).</summary>
    Task<StoredAnswer?> GetAnswerAsync(long returnId, string questionKey);

    /// <summary>Every answer of an audit by return, for aggregation and export (one query).</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<StoredAnswer>>> GetAnswersByAuditAsync(long auditId);

    /// <summary>
    /// Stores one answer's value or note (insert or replace) in one transaction and two round trips: the first takes the
    /// write lock and reads what <paramref name="decide"/> needs (<see cref="FieldSaveContext"/>: the account, the return,
    /// its audit and answers, as they are now); <paramref name="decide"/> checks it and gives the text to store (it throws
    /// to refuse, and nothing is written); the second writes the field, its audit log line, the return's move from not
    /// started to in progress, the audit's change counter (a value only) and the news for other servers, and commits.
    /// </summary>
    Task<SaveResult> SaveFieldAsync(FieldSave save, Func<FieldSaveContext, string?> decide);

    /// <summary>
    /// Moves a return from one status to another (only if it is still in <paramref name="fromStatus"/>) and writes its
    /// log line, named by the return's audit, case and agency, in one transaction. False when it had moved meanwhile.
    /// </summary>
    Task<bool> SetReturnStatusAsync(long returnId, string fromStatus, string toStatus, string? comment, DateTimeOffset now, AuditLogEntry log);
}
