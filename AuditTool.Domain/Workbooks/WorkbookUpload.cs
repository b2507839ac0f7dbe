using AuditTool.Domain.Audits;

namespace AuditTool.Domain.Workbooks;

public static class WorkbookFields
{
    public const string Answer = "answer";
    public const string Evidence = "evidence";
}

/// <summary>One value to store: the answer (encoded as <see cref="Answers.Encode"/>) or the evidence note of a question.</summary>
public sealed record FieldChange(string QuestionKey, string Field, string? Old, string? New);

/// <summary>
/// What an upload writes to one return. <see cref="Expected"/> is the return's answers as the checks saw them: the
/// store saves nothing when they changed in the meantime.
/// </summary>
public sealed record ReturnUpload(long ReturnId, string FromStatus, IReadOnlyList<StoredAnswer> Expected, IReadOnlyList<FieldChange> Changes, bool Submit);

public sealed record WorkbookSave(long AuditId, IReadOnlyList<ReturnUpload> Returns, long? UserId, string UserName, DateTimeOffset Now, string Summary);

/// <summary>Saves a checked upload in one transaction.</summary>
public interface IWorkbookStore
{
    /// <summary>
    /// Stores every change (each with its audit log line, as saved from a workbook upload, by that user), moves
    /// not-started returns to in progress, submits where asked and writes the summary line, in one transaction. False,
    /// with nothing saved, when a return's answers or status are no longer what the checks saw, or the audit closed.
    /// </summary>
    Task<bool> SaveAsync(WorkbookSave save);

    /// <summary>
    /// When each answer and note of these returns last changed after <paramref name="since"/>, in the app or by another
    /// upload, by (return, question key, field), from the audit log lines written with every change.
    /// </summary>
    Task<IReadOnlyDictionary<(long ReturnId, string QuestionKey, string Field), DateTimeOffset>> ChangedSinceAsync(
        IReadOnlyCollection<long> returnIds, DateTimeOffset since);
}

/// <summary>An answer or note the upload stored, as people read it (option labels).</summary>
public sealed record WorkbookSaved(string CaseRef, string QuestionKey, string QuestionText, string Field, string? Before, string? After);

/// <summary>
/// A value changed in the app after the workbook was downloaded and different in the workbook. Kept as it is in the
/// app unless the upload was confirmed to overwrite (<see cref="Overwritten"/>).
/// </summary>
public sealed record WorkbookConflict(string CaseRef, string Cell, string QuestionKey, string QuestionText, string Field, string? InApp,
    string? InWorkbook, DateTimeOffset ChangedInAppUtc, bool Overwritten);

/// <summary>
/// The outcome of an upload, counted by value (an answer or an evidence note): <see cref="Changes"/> lists each value
/// saved, <see cref="Conflicts"/> each value in conflict; <see cref="Unchanged"/> values had nothing to store. The counts
/// are those of the lists, so a summary never says one number and lists another.
/// </summary>
public sealed record WorkbookUploadResult(
    long AuditId,
    string AuditTitle,
    string AgencyName,
    int Unchanged,
    IReadOnlyList<WorkbookSaved> Changes,
    IReadOnlyList<WorkbookConflict> Conflicts,
    IReadOnlyList<string> Submitted)
{
    public int Saved => Changes.Count;

    public int KeptConflicts => Conflicts.Count(c => !c.Overwritten);

    public string Headline =>
        $"{Saved} saved, {Unchanged} unchanged, {KeptConflicts} {(KeptConflicts == 1 ? "conflict" : "conflicts")}" +
        (Conflicts.Count > KeptConflicts ? $" ({Conflicts.Count - KeptConflicts} overwritten)" : "") +
        (Submitted.Count > 0 ? $", {Submitted.Count} submitted" : "");
}

/// <summary>An open audit whose workbook this person may download for an agency.</summary>
public sealed record WorkbookOffer(long AuditId, string AuditTitle, DateOnly? Deadline, string AgencyKey, string AgencyName, int OpenReturns);

public sealed record WorkbookDownload(string FileName, int Cases);
