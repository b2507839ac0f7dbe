using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.DataProtection;

/// <summary>The partnership's defaults (AuditTool:Retention:*): months after publication, or closing unpublished.</summary>
public sealed record RetentionSettings(int NotesMonths = 12, int AnswersMonths = 24, int NoticeDays = 30)
{
    public const int MaxMonths = 1200;
}

/// <summary>What is destroyed when: notes (evidence notes, moderation rationales, amendment comments), then answers
/// (case references replaced by tokens, free-text and date answers and case attributes destroyed).</summary>
public enum RetentionStage
{
    Notes,
    Answers,
}

/// <summary>An audit as retention sees it.</summary>
public sealed record RetentionAudit(
    long Id,
    string Title,
    string Status,
    DateTimeOffset? PublishedUtc,
    DateTimeOffset? ClosedUtc,
    int? NotesMonths,
    int? AnswersMonths,
    DateTimeOffset? NotesDisposedUtc,
    DateTimeOffset? AnswersDisposedUtc)
{
    /// <summary>When the clock starts: publication, or closing unpublished; none while the audit is still under way.</summary>
    public DateTimeOffset? Start => PublishedUtc ?? (Status == Audits.AuditStatuses.Closed ? ClosedUtc : null);

    public int MonthsFor(RetentionStage stage, RetentionSettings defaults) =>
        stage == RetentionStage.Notes ? NotesMonths ?? defaults.NotesMonths : AnswersMonths ?? defaults.AnswersMonths;

    /// <summary>The day a stage falls due, or null while the audit is under way.</summary>
    public DateOnly? DueOn(RetentionStage stage, RetentionSettings defaults) =>
        Start is { } start ? DateOnly.FromDateTime(start.UtcDateTime).AddMonths(MonthsFor(stage, defaults)) : null;

    public DateTimeOffset? DisposedUtc(RetentionStage stage) => stage == RetentionStage.Notes ? NotesDisposedUtc : AnswersDisposedUtc;

    public string PolicyText(RetentionSettings defaults) =>
        $"notes {MonthsFor(RetentionStage.Notes, defaults)} months{(NotesMonths is null ? " (default)" : "")}, " +
        $"answers {MonthsFor(RetentionStage.Answers, defaults)} months{(AnswersMonths is null ? " (default)" : "")} after " +
        (PublishedUtc is not null ? "publication" : "closing");
}

/// <summary>A legal hold: on an audit, or on a case reference in every audit.</summary>
public sealed record LegalHold(
    long Id,
    long? AuditId,
    string? AuditTitle,
    string? CaseRef,
    string Reason,
    string PlacedBy,
    DateTimeOffset PlacedUtc,
    string? ReleasedBy,
    DateTimeOffset? ReleasedUtc,
    string? ReleaseReason)
{
    public bool IsActive => ReleasedUtc is null;
}

/// <summary>How many items of each kind a disposal destroyed (or, in a dry run or a notice, would destroy).</summary>
public sealed record DisposalCounts(
    int EvidenceNotes,
    int Rationales,
    int AmendmentComments,
    int CaseReferences,
    int Answers,
    int CaseAttributes,
    int CohortRows,
    int LogLinesBlanked,
    int OutboxMessagesBlanked)
{
    public static DisposalCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Safeguarding concerns whose description, "who was told" and action recorded were destroyed (notes stage).</summary>
    public int ConcernTexts { get; init; }

    /// <summary>Kept figures whose case references were replaced by the cases' tokens (answers stage).</summary>
    public int KeptFiguresPseudonymised { get; init; }

    public int Total => EvidenceNotes + Rationales + AmendmentComments + CaseReferences + Answers + CaseAttributes + CohortRows
        + LogLinesBlanked + OutboxMessagesBlanked + ConcernTexts + KeptFiguresPseudonymised;

    public IEnumerable<(string Kind, int Count)> Kinds()
    {
        (string, int)[] all =
        [
            ("evidence notes", EvidenceNotes), ("moderation rationales", Rationales), ("amendment comments", AmendmentComments),
            ("safeguarding concern texts", ConcernTexts), ("kept figures given case tokens", KeptFiguresPseudonymised),
            ("case references replaced by tokens", CaseReferences), ("free-text and date answers", Answers),
            ("case attributes", CaseAttributes), ("cohort list rows", CohortRows), ("audit log values blanked", LogLinesBlanked),
            ("outbox messages blanked", OutboxMessagesBlanked),
        ];
        return all.Where(k => k.Item2 > 0);
    }

    public string Describe() => Total == 0 ? "nothing" : string.Join(", ", Kinds().Select(k => $"{k.Count} {k.Kind}"));
}

/// <summary>What one disposal transaction is asked to do.</summary>
public sealed record DisposalRequest(long AuditId, RetentionStage Stage, IReadOnlySet<string> HeldCaseRefs, string Policy, Actor Actor,
    DateTimeOffset Now, bool DryRun);

/// <summary>One line of what a pass did or would do.</summary>
public sealed record RetentionOutcome(long AuditId, string AuditTitle, RetentionStage Stage, DateOnly DueOn, string What, DisposalCounts Counts);

public sealed record RetentionPass(
    DateOnly AsOf,
    bool DryRun,
    IReadOnlyList<RetentionOutcome> Disposed,
    IReadOnlyList<RetentionOutcome> Noticed,
    IReadOnlyList<RetentionOutcome> Skipped);

public interface IRetentionRepository
{
    Task<IReadOnlyList<RetentionAudit>> GetAuditsAsync();

    Task<RetentionAudit?> GetAuditAsync(long auditId);

    Task<IReadOnlyList<LegalHold>> GetHoldsAsync(bool includeReleased);

    Task<long> PlaceHoldAsync(long? auditId, string? caseRef, string reason, string placedBy, DateTimeOffset now, AuditLogEntry log);

    Task<bool> ReleaseHoldAsync(long holdId, string releasedBy, string reason, DateTimeOffset now, AuditLogEntry log);

    Task SetPolicyAsync(long auditId, int? notesMonths, int? answersMonths, AuditLogEntry log);

    /// <summary>The case references of an audit (to tell which are held).</summary>
    Task<IReadOnlyList<string>> GetCaseRefsAsync(long auditId);

    /// <summary>
    /// Carries out (or, dry, counts and rolls back) one stage of one audit in one transaction: destroys the values, blanks
    /// them in the audit log and the outbox, re-anchors the log's chain, and writes the disposal record. Nothing to destroy:
    /// nothing is written.
    /// </summary>
    Task<DisposalCounts> DisposeAsync(DisposalRequest request);
}
