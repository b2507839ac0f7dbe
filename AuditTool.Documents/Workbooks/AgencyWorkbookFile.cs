using System.Globalization;
using System.IO.Compression;
using AuditTool.Domain.Workbooks;
using ClosedXML.Excel;

namespace AuditTool.Documents.Workbooks;

/// <summary>
/// The agency workbook as an .xlsx file (ClosedXML: a small formatted workbook with drop-down lists, validation and
/// sheet protection). Writing: an Instructions sheet, then one sheet per case. Reading: the limits are checked on the
/// zip itself before any parsing, then every cell is read by value (never its formatted text), finding the submit row
/// and the question table by their labels, so a file saved again by Excel, LibreOffice or another program reads the same.
/// </summary>
public sealed class AgencyWorkbookFile : IAgencyWorkbookFile
{
    public const string SectionHeader = "Section";
    public const string KeyHeader = "Key";
    public const string QuestionHeader = "Question";
    public const string GuidanceHeader = "Guidance";
    public const string RequiredHeader = "Required";
    public const string WhenHeader = "When to answer";
    public const string HowHeader = "How to answer";
    public const string AnswerHeader = "Answer";
    public const string EvidenceHeader = "Evidence";

    /// <summary>The case sheet's columns, left to right, with their widths (set here: no AdjustToContents, which needs libgdiplus).</summary>
    public static readonly IReadOnlyList<(string Header, double Width)> Columns =
    [
        (SectionHeader, 22), (KeyHeader, 22), (QuestionHeader, 50), (GuidanceHeader, 40), (RequiredHeader, 10),
        (WhenHeader, 30), (HowHeader, 30), (AnswerHeader, 30), (EvidenceHeader, 60),
    ];

    /// <summary>Rows of a case sheet: the case, its status, the submit row, a note, then the table's header and questions.</summary>
    public const int CaseRow = 1;
    public const int StatusRow = 2;
    public const int SubmitRow = 3;
    public const int NoteRow = 4;
    public const int HeaderRow = 6;

    private const int MaxZipEntries = 10_000;
    private const int ScanRows = 60;

    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A moment as people in the partnership read it: en-GB, in UK time.</summary>
    internal static string PeopleTime(DateTimeOffset utc)
    {
        var zone = AuditTool.Domain.Concerns.WorkingCalendar.UkTime();
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var suffix = zone == TimeZoneInfo.Utc ? "UTC" : "UK time";
        return $"{local.ToString("d MMMM yyyy", EnGb)} at {local.ToString("HH:mm", EnGb)} ({suffix})";
    }

    private static readonly XLColor Editable = XLColor.FromHtml("#FFF8D6");
    private static readonly XLColor HeaderFill = XLColor.FromHtml("#E7EEF7");

    public void Write(AgencyWorkbook workbook, Stream output)
    {
        using var book = new XLWorkbook();
        var instructions = book.AddWorksheet(WorkbookFormat.InstructionsSheet);
        var lists = WriteInstructions(instructions, workbook);
        var answerColumn = Column(AnswerHeader);
        var evidenceColumn = Column(EvidenceHeader);
        foreach (var sheet in workbook.Cases)
        {
            var ws = book.AddWorksheet(sheet.SheetName);
            for (var c = 0; c < Columns.Count; c++)
            {
                ws.Column(c + 1).Width = Columns[c].Width;
            }

            Label(ws.Cell(CaseRow, 1), "Case reference");
            Text(ws.Cell(CaseRow, 2), sheet.CaseRef);
            Label(ws.Cell(StatusRow, 1), "Status when downloaded");
            Text(ws.Cell(StatusRow, 2), sheet.StatusLabel);
            Label(ws.Cell(SubmitRow, 1), WorkbookFormat.SubmitLabel);
            var submit = ws.Cell(SubmitRow, 2);
            Text(submit, WorkbookFormat.No);
            Unlock(submit);
            var submitRule = submit.AsRange().SetDataValidation();
            submitRule.List($"\"{WorkbookFormat.Yes},{WorkbookFormat.No}\"", true);
            Refuse(submitRule, "Yes or No", "Choose Yes to submit this return when the workbook is uploaded, or No to keep working on it.");
            Text(ws.Cell(NoteRow, 1), $"Fill in the {AnswerHeader} and {EvidenceHeader} columns (shaded). Everything else is locked. " +
                "Choose Yes above to submit this return when you upload the workbook: every required question must be answered.");
            ws.Cell(NoteRow, 1).Style.Font.Italic = true;

            for (var c = 0; c < Columns.Count; c++)
            {
                var header = ws.Cell(HeaderRow, c + 1);
                Text(header, Columns[c].Header);
                header.Style.Font.Bold = true;
                header.Style.Fill.BackgroundColor = HeaderFill;
            }

            var row = HeaderRow + 1;
            foreach (var q in workbook.Questions)
            {
                Text(ws.Cell(row, Column(SectionHeader)), q.Section);
                Text(ws.Cell(row, Column(KeyHeader)), q.Key);
                Text(ws.Cell(row, Column(QuestionHeader)), q.Text);
                Text(ws.Cell(row, Column(GuidanceHeader)), q.Guidance);
                Text(ws.Cell(row, Column(RequiredHeader)), q.Required ? "Required" : "Optional");
                Text(ws.Cell(row, Column(WhenHeader)), q.WhenToAnswer ?? string.Empty);
                Text(ws.Cell(row, Column(HowHeader)), q.HowToAnswer);
                var answer = ws.Cell(row, answerColumn);
                var evidence = ws.Cell(row, evidenceColumn);
                Unlock(answer);
                Unlock(evidence);
                evidence.Style.NumberFormat.Format = "@";
                WriteAnswer(answer, q, sheet.Answers.GetValueOrDefault(q.Key), lists);
                if (sheet.Evidence.TryGetValue(q.Key, out var note))
                {
                    Text(evidence, note);
                }

                row++;
            }

            var table = ws.Range(HeaderRow + 1, 1, Math.Max(HeaderRow + 1, row - 1), Columns.Count);
            table.Style.Alignment.WrapText = true;
            table.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            ws.SheetView.FreezeRows(HeaderRow);
            // Printed, a case is landscape pages one page wide, the column headers repeated on every page.
            ws.PageSetup.PrintAreas.Add(1, 1, Math.Max(HeaderRow + 1, row - 1), Columns.Count);
            PrintSetUp(ws);
            ws.PageSetup.SetRowsToRepeatAtTop(HeaderRow, HeaderRow);
            Protect(ws);
        }

        PrintSetUp(instructions);
        Protect(instructions);
        book.SaveAs(output);
    }

    /// <summary>The Instructions sheet: what the workbook is, how to fill it in, and the option lists the drop-downs use.</summary>
    private static Dictionary<string, IXLRange> WriteInstructions(IXLWorksheet ws, AgencyWorkbook workbook)
    {
        ws.Column(1).Width = 24;
        ws.Column(2).Width = 100;
        var info = workbook.Info;
        Text(ws.Cell(1, 1), "AuditTool agency workbook");
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        var row = 2;
        void Line(string label, string value)
        {
            Label(ws.Cell(row, 1), label);
            Text(ws.Cell(row, 2), value);
            row++;
        }

        Line(WorkbookFormat.FormatLabel, WorkbookFormat.Name);
        Line(WorkbookFormat.AuditLabel, info.AuditTitle);
        Line(WorkbookFormat.AuditIdLabel, info.AuditId.ToString(CultureInfo.InvariantCulture));
        Line(WorkbookFormat.AgencyLabel, info.AgencyName);
        Line(WorkbookFormat.AgencyKeyLabel, info.AgencyKey);
        Line(WorkbookFormat.DeadlineLabel, info.Deadline?.ToString("d MMMM yyyy", EnGb) ?? "none set");
        Line(WorkbookFormat.DownloadedLabel, PeopleTime(info.DownloadedUtc));
        Line(WorkbookFormat.DownloadedByLabel, info.DownloadedBy);
        // Full precision, as text, in a hidden row: the upload compares it with when each answer last changed in the app.
        var stampRow = row;
        Line(WorkbookFormat.DownloadStampLabel, info.DownloadedUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        ws.Row(stampRow).Hide();
        row++;
        Label(ws.Cell(row++, 1), "How to fill it in");
        string[] steps =
        [
            "Each case has its own sheet, named by its case reference. Submitted returns are not included.",
            $"Answer in the {AnswerHeader} column and write evidence notes in the {EvidenceHeader} column. The other cells are locked " +
            "(the protection has no password: it guides, it does not secure).",
            "Graded and single-choice questions: choose the answer from the drop-down list. Multiple choice: type the options' labels " +
            "separated by \"; \" (for example: Police; School). Numbers: a number. Dates: a date, or text written yyyy-mm-dd. Leave a cell blank for no answer.",
            "A question with a \"When to answer\" note is answered only when that earlier answer is given; otherwise leave it blank.",
            "Type answers, not formulas. Text that starts with = is kept as text.",
            $"To submit a return, choose Yes in its \"{WorkbookFormat.SubmitLabel}\" row; it is submitted when the workbook is uploaded, " +
            "if every required question is answered.",
            "Upload the workbook from AuditTool's start page (or the audit's page). Everything is checked first: if anything is wrong, " +
            "each problem is listed with its sheet and cell and nothing is saved.",
            "Answers changed in AuditTool after this workbook was downloaded are not overwritten: the upload lists them as conflicts, " +
            "with both values, and you choose whether the workbook's values replace them.",
            "Do not rename or add sheets, and keep the Key column as it is.",
        ];
        for (var i = 0; i < steps.Length; i++)
        {
            Text(ws.Cell(row, 1), $"{i + 1}.");
            Text(ws.Cell(row, 2), steps[i]);
            ws.Cell(row, 2).Style.Alignment.WrapText = true;
            row++;
        }

        row++;
        Label(ws.Cell(row++, 1), "Answer options");
        Label(ws.Cell(row, 1), "Question key");
        Label(ws.Cell(row++, 2), "Options (the drop-down lists)");
        var lists = new Dictionary<string, IXLRange>();
        foreach (var q in workbook.Questions.Where(q => q.OptionLabels.Count > 0))
        {
            Text(ws.Cell(row, 1), q.Key);
            for (var i = 0; i < q.OptionLabels.Count; i++)
            {
                Text(ws.Cell(row, 2 + i), q.OptionLabels[i]);
            }

            if (q.Kind == AnswerKind.Option)
            {
                lists[q.Key] = ws.Range(row, 2, row, 1 + q.OptionLabels.Count);
            }

            row++;
        }

        return lists;
    }

    private static void WriteAnswer(IXLCell cell, WorkbookQuestion question, object? value, Dictionary<string, IXLRange> lists)
    {
        var rule = cell.AsRange().SetDataValidation();
        switch (question.Kind)
        {
            case AnswerKind.Option:
                cell.Style.NumberFormat.Format = "@";
                rule.List(lists[question.Key], true);
                Refuse(rule, "Choose from the list", $"Choose one of: {string.Join(", ", question.OptionLabels)}.");
                break;
            case AnswerKind.Number:
                rule.Decimal.Between(-1e15, 1e15);
                Refuse(rule, "A number", "Type a number.");
                break;
            case AnswerKind.Date:
                cell.Style.NumberFormat.Format = "yyyy-mm-dd";
                rule.Date.Between(new DateTime(1900, 1, 1), new DateTime(2199, 12, 31));
                Refuse(rule, "A date", "Type a date, yyyy-mm-dd.");
                break;
            default:
                // Text: the cell's format is text, so a spreadsheet keeps what is typed (even "=...") as text.
                cell.Style.NumberFormat.Format = "@";
                rule.Clear();
                break;
        }

        switch (value)
        {
            case null:
                break;
            case double d:
                cell.SetValue(d);
                break;
            case DateOnly date:
                cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
                break;
            default:
                Text(cell, value.ToString() ?? string.Empty);
                break;
        }
    }

    public WorkbookReading Read(Stream input)
    {
        var buffer = new MemoryStream();
        var copied = CopyAtMost(input, buffer, WorkbookFormat.MaxFileBytes + 1);
        if (copied > WorkbookFormat.MaxFileBytes)
        {
            throw new WorkbookException([$"The file is larger than {WorkbookFormat.MaxFileBytes / 1024 / 1024} MB; an agency workbook is far smaller. Upload the workbook AuditTool gave you."]);
        }

        buffer.Position = 0;
        CheckZip(buffer);
        buffer.Position = 0;
        XLWorkbook book;
        try
        {
            book = new XLWorkbook(buffer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // ClosedXML throws many kinds of exception for a damaged or foreign file; each means the same to the uploader.
            throw new WorkbookException([$"The file could not be read as an Excel workbook (.xlsx): {ex.Message}"]);
        }

        using (book)
        {
            var problems = new List<string>();
            var instructions = new Dictionary<string, WorkbookCell>(StringComparer.OrdinalIgnoreCase);
            var sheets = new List<WorkbookSheetReading>();
            foreach (var ws in book.Worksheets)
            {
                if (string.Equals(ws.Name, WorkbookFormat.InstructionsSheet, StringComparison.OrdinalIgnoreCase))
                {
                    ReadInstructions(ws, instructions);
                    continue;
                }

                sheets.Add(ReadCaseSheet(ws, problems));
            }

            return new WorkbookReading(instructions, sheets, problems);
        }
    }

    private static void ReadInstructions(IXLWorksheet ws, Dictionary<string, WorkbookCell> values)
    {
        var last = Math.Min(ws.LastRowUsed()?.RowNumber() ?? 0, 200);
        for (var r = 1; r <= last; r++)
        {
            var label = ws.Cell(r, 1);
            if (label.HasFormula || label.DataType != XLDataType.Text)
            {
                continue;
            }

            var text = label.GetString().Trim();
            if (text.Length > 0 && !values.ContainsKey(text))
            {
                values[text] = Convert(ws.Cell(r, 2), ws.Name);
            }
        }
    }

    private static WorkbookSheetReading ReadCaseSheet(IXLWorksheet ws, List<string> problems)
    {
        var lastRow = ws.LastRowUsed()?.RowNumber() ?? 0;
        var lastColumn = ws.LastColumnUsed()?.ColumnNumber() ?? 0;
        if (lastRow == 0)
        {
            return new WorkbookSheetReading(ws.Name, false, false, null, []);
        }

        WorkbookCell? submit = null;
        int? header = null;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var r = 1; r <= Math.Min(lastRow, ScanRows) && header is null; r++)
        {
            if (submit is null && TextOf(ws.Cell(r, 1)) is { } first && string.Equals(first, WorkbookFormat.SubmitLabel, StringComparison.OrdinalIgnoreCase))
            {
                submit = Convert(ws.Cell(r, 2), ws.Name);
                continue;
            }

            var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var c = 1; c <= lastColumn; c++)
            {
                if (TextOf(ws.Cell(r, c)) is { } text)
                {
                    found.TryAdd(text, c);
                }
            }

            if (found.ContainsKey(KeyHeader) && found.ContainsKey(AnswerHeader))
            {
                header = r;
                columns = found;
            }
        }

        if (header is null)
        {
            return new WorkbookSheetReading(ws.Name, true, false, submit, []);
        }

        if (!columns.TryGetValue(EvidenceHeader, out var evidenceColumn))
        {
            problems.Add($"{ws.Name}!{ws.Cell(header.Value, 1).Address.ToStringRelative()}: the question table has no {EvidenceHeader} column; keep the columns as downloaded.");
            return new WorkbookSheetReading(ws.Name, true, false, submit, []);
        }

        var keyColumn = columns[KeyHeader];
        var answerColumn = columns[AnswerHeader];
        var rows = new List<WorkbookRow>();
        for (var r = header.Value + 1; r <= lastRow; r++)
        {
            var key = Convert(ws.Cell(r, keyColumn), ws.Name);
            var answer = Convert(ws.Cell(r, answerColumn), ws.Name);
            var evidence = Convert(ws.Cell(r, evidenceColumn), ws.Name);
            if (key.IsBlank && answer.IsBlank && evidence.IsBlank && key.Kind != CellKind.Formula && answer.Kind != CellKind.Formula &&
                evidence.Kind != CellKind.Formula)
            {
                continue;
            }

            rows.Add(new WorkbookRow(r, key, answer, evidence));
        }

        return new WorkbookSheetReading(ws.Name, true, true, submit, rows);
    }

    /// <summary>A cell by value: its stored type and value, never its formatted text; a formula is reported as one.</summary>
    private static WorkbookCell Convert(IXLCell cell, string sheet)
    {
        var address = $"{sheet}!{cell.Address.ToStringRelative()}";
        if (cell.HasFormula)
        {
            return new WorkbookCell(address, CellKind.Formula, cell.FormulaA1);
        }

        if (cell.IsEmpty())
        {
            return new WorkbookCell(address, CellKind.Blank);
        }

        return cell.DataType switch
        {
            XLDataType.Number => new WorkbookCell(address, CellKind.Number, Number: cell.GetDouble()),
            XLDataType.DateTime => new WorkbookCell(address, CellKind.Date, Date: cell.GetDateTime()),
            XLDataType.Boolean => new WorkbookCell(address, CellKind.Boolean, cell.GetBoolean() ? "TRUE" : "FALSE"),
            XLDataType.TimeSpan => new WorkbookCell(address, CellKind.Text, cell.GetTimeSpan().ToString("c", CultureInfo.InvariantCulture)),
            _ => cell.GetString() is { Length: > 0 } text && IsErrorValue(text)
                ? new WorkbookCell(address, CellKind.Error, text)
                : new WorkbookCell(address, CellKind.Text, cell.GetString()),
        };
    }

    private static bool IsErrorValue(string text) =>
        text is "#N/A" or "#VALUE!" or "#REF!" or "#DIV/0!" or "#NUM!" or "#NAME?" or "#NULL!";

    private static string? TextOf(IXLCell cell) =>
        !cell.HasFormula && cell.DataType == XLDataType.Text && cell.GetString().Trim() is { Length: > 0 } text ? text : null;

    /// <summary>
    /// The zip's own limits, checked before any parsing: at most <see cref="WorkbookFormat.MaxSheets"/> sheets and
    /// <see cref="WorkbookFormat.MaxExpandedBytes"/> once expanded, counted by actually inflating every entry (the sizes a
    /// zip declares can lie).
    /// </summary>
    private static void CheckZip(Stream buffer)
    {
        const string notWorkbook = "The file is not an Excel workbook (.xlsx). Upload the workbook AuditTool gave you, saved as .xlsx.";
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw new WorkbookException([notWorkbook]);
        }

        using (zip)
        {
            var entries = zip.Entries;
            if (entries.Count > MaxZipEntries)
            {
                throw new WorkbookException([$"The file holds {entries.Count:N0} parts; an agency workbook holds far fewer. It was refused before reading."]);
            }

            var sheets = entries.Count(e => IsSheetPart(e.FullName));
            if (sheets > WorkbookFormat.MaxSheets)
            {
                throw new WorkbookException([$"The file holds {sheets:N0} sheets; at most {WorkbookFormat.MaxSheets} are accepted. It was refused before reading."]);
            }

            var tooBig = $"The file expands to more than {WorkbookFormat.MaxExpandedBytes / 1024 / 1024} MB; an agency workbook is far smaller. It was refused before reading.";
            if (entries.Sum(e => e.Length) > WorkbookFormat.MaxExpandedBytes)
            {
                throw new WorkbookException([tooBig]);
            }

            long total = 0;
            var chunk = new byte[81920];
            try
            {
                foreach (var entry in entries)
                {
                    using var stream = entry.Open();
                    int read;
                    while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                    {
                        total += read;
                        if (total > WorkbookFormat.MaxExpandedBytes)
                        {
                            throw new WorkbookException([tooBig]);
                        }
                    }
                }
            }
            catch (InvalidDataException)
            {
                throw new WorkbookException([notWorkbook]);
            }
        }
    }

    private static bool IsSheetPart(string name) =>
        (name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("xl/chartsheets/", StringComparison.OrdinalIgnoreCase) ||
         name.StartsWith("xl/dialogsheets/", StringComparison.OrdinalIgnoreCase)) &&
        name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && !name.Contains("/_rels/", StringComparison.Ordinal);

    private static long CopyAtMost(Stream input, Stream output, long max)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while (total < max && (read = input.Read(chunk, 0, (int)Math.Min(chunk.Length, max - total))) > 0)
        {
            output.Write(chunk, 0, read);
            total += read;
        }

        return total;
    }

    private static int Column(string header) => Columns.Select((c, i) => (c.Header, i)).Single(c => c.Header == header).i + 1;

    /// <summary>Always text, never a formula, whatever it starts with.</summary>
    private static void Text(IXLCell cell, string text) => cell.SetValue(text);

    private static void Label(IXLCell cell, string text)
    {
        Text(cell, text);
        cell.Style.Font.Bold = true;
    }

    private static void Unlock(IXLCell cell)
    {
        cell.Style.Protection.SetLocked(false);
        cell.Style.Fill.BackgroundColor = Editable;
    }

    private static void Refuse(IXLDataValidation rule, string title, string message)
    {
        rule.IgnoreBlanks = true;
        rule.ShowErrorMessage = true;
        rule.ErrorStyle = XLErrorStyle.Stop;
        rule.ErrorTitle = title;
        rule.ErrorMessage = message;
    }

    /// <summary>Protection without a password: it guides people to the answer cells, it does not secure anything.</summary>
    private static void PrintSetUp(IXLWorksheet ws)
    {
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.FitToPages(1, 0); // one page wide, as many pages tall as it takes
        ws.PageSetup.Margins.Left = ws.PageSetup.Margins.Right = 0.4;
        ws.PageSetup.Footer.Center.AddText(XLHFPredefinedText.SheetName);
        ws.PageSetup.Footer.Right.AddText("Page ");
        ws.PageSetup.Footer.Right.AddText(XLHFPredefinedText.PageNumber);
    }

    private static void Protect(IXLWorksheet ws) =>
        ws.Protect().AllowElement(XLSheetProtectionElements.SelectEverything | XLSheetProtectionElements.FormatColumns | XLSheetProtectionElements.FormatRows);
}
