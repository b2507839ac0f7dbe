namespace AuditTool.Domain.Workbooks;

/// <summary>
/// The agency workbook <c>audittool.workbook/v1</c> of PRODUCT.md: one agency's open returns in one audit, filled in away
/// from the app and uploaded again. The domain decides what goes in and what may be saved; the file itself (xlsx) is
/// written and read by an <see cref="IAgencyWorkbookFile"/>.
/// </summary>
public static class WorkbookFormat
{
    public const string Name = "audittool.workbook/v1";

    public const string InstructionsSheet = "Instructions";
    public const string SubmitLabel = "Submit this return";
    public const string Yes = "Yes";
    public const string No = "No";

    /// <summary>Labels of the Instructions sheet's first column; the value is beside each, in the second.</summary>
    public const string FormatLabel = "Format";
    public const string AuditLabel = "Audit";
    public const string AuditIdLabel = "Audit id";
    public const string AgencyLabel = "Agency";
    public const string AgencyKeyLabel = "Agency key";
    public const string DeadlineLabel = "Deadline";
    /// <summary>When it was downloaded, for the person: en-GB, in UK time ("2 December 2026 at 06:54 (UK time)").</summary>
    public const string DownloadedLabel = "Downloaded";
    /// <summary>The same moment to the fraction of a second (round-trip text, UTC), in a hidden row: the upload compares it
    /// with when each answer last changed in the app.</summary>
    public const string DownloadStampLabel = "Download stamp (do not change)";
    /// <summary>Where workbooks made before the stamp row had the machine time, shown to the person; still read on upload.</summary>
    public const string LegacyDownloadedLabel = "Downloaded (UTC)";
    public const string DownloadedByLabel = "Downloaded by";

    public const long MaxFileBytes = 20L * 1024 * 1024;
    public const long MaxExpandedBytes = 200L * 1024 * 1024;
    public const int MaxSheets = 500;
    public const int MaxProblems = 200;

    /// <summary>Multiple choice answers are option labels separated by this.</summary>
    public const string ChoiceSeparator = "; ";

    /// <summary>
    /// Sheet names for case references, in case order: the reference itself where a spreadsheet allows it (at most 31
    /// characters, none of : \ / ? * [ ]), otherwise a close variant made unique. The same cases always give the same
    /// names, so the upload finds each return's sheet by name.
    /// </summary>
    public static IReadOnlyList<string> SheetNames(IEnumerable<string> caseRefs)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { InstructionsSheet };
        var names = new List<string>();
        foreach (var caseRef in caseRefs)
        {
            var clean = new string(caseRef.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? '-' : c).ToArray()).Trim('\'');
            if (clean.Length == 0)
            {
                clean = "Case";
            }

            var name = clean.Length > 31 ? clean[..31] : clean;
            for (var n = 2; !used.Add(name); n++)
            {
                var suffix = $"~{n}";
                name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
            }

            names.Add(name);
        }

        return names;
    }
}

public enum AnswerKind
{
    /// <summary>A scale or single choice: one option label, from a drop-down list.</summary>
    Option,
    MultiChoice,
    Number,
    Date,
    Text,
}

/// <summary>What the Instructions sheet says about the workbook; the upload reads the audit, agency and time back.</summary>
public sealed record WorkbookInfo(
    long AuditId,
    string AuditTitle,
    string AgencyKey,
    string AgencyName,
    DateOnly? Deadline,
    DateTimeOffset DownloadedUtc,
    string DownloadedBy);

/// <summary>One row of a case sheet's question table.</summary>
public sealed record WorkbookQuestion(
    string Section,
    string Key,
    string Text,
    string Guidance,
    bool Required,
    string? WhenToAnswer,
    string HowToAnswer,
    AnswerKind Kind,
    IReadOnlyList<string> OptionLabels);

/// <summary>
/// One case's sheet. Answers are cell values: option labels (text), multiple choice labels joined by "; ", a number
/// (double), a date (<see cref="DateOnly"/>) or text.
/// </summary>
public sealed record WorkbookCaseSheet(
    string SheetName,
    string CaseRef,
    string StatusLabel,
    IReadOnlyDictionary<string, object> Answers,
    IReadOnlyDictionary<string, string> Evidence);

public sealed record AgencyWorkbook(WorkbookInfo Info, IReadOnlyList<WorkbookQuestion> Questions, IReadOnlyList<WorkbookCaseSheet> Cases);

public enum CellKind
{
    Blank,
    Text,
    Number,
    Date,
    Boolean,
    Formula,
    Error,
}

/// <summary>A cell as read back by value, whatever program saved the file last. <see cref="Address"/> is like <c>DD-003!H12</c>.</summary>
public sealed record WorkbookCell(string Address, CellKind Kind, string? Text = null, double? Number = null, DateTime? Date = null)
{
    public bool IsBlank => Kind == CellKind.Blank || (Kind == CellKind.Text && string.IsNullOrWhiteSpace(Text));
}

public sealed record WorkbookRow(int Row, WorkbookCell Key, WorkbookCell Answer, WorkbookCell Evidence);

/// <summary>A sheet as read: its submit cell and question rows when it has them.</summary>
public sealed record WorkbookSheetReading(string Name, bool HasContent, bool HasTable, WorkbookCell? Submit, IReadOnlyList<WorkbookRow> Rows);

/// <summary>
/// A workbook as read: the Instructions sheet's values by label, every other sheet, and the problems of the file itself
/// (a missing header column, ...), each with its place.
/// </summary>
public sealed record WorkbookReading(
    IReadOnlyDictionary<string, WorkbookCell> Instructions,
    IReadOnlyList<WorkbookSheetReading> Sheets,
    IReadOnlyList<string> Problems);

/// <summary>Writes and reads the xlsx file (infrastructure).</summary>
public interface IAgencyWorkbookFile
{
    void Write(AgencyWorkbook workbook, Stream output);

    /// <summary>Checks the limits (size, expanded size, sheets) before parsing, then reads every cell by value.</summary>
    /// <exception cref="WorkbookException">The file is over a limit or is not a workbook.</exception>
    WorkbookReading Read(Stream input);
}

/// <summary>A workbook that could not be uploaded: every problem with its place (<c>SHEET!CELL: message</c>). Nothing was saved.</summary>
public sealed class WorkbookException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
