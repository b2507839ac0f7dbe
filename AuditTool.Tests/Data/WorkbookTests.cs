using System.IO.Compression;
using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Domain.Workbooks;
using AuditTool.Tests.Domain;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using ClosedXML.Excel;
using Dapper;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Data;

/// <summary>
/// The agency workbook (audittool.workbook/v1): download, fill with ClosedXML as a person would in a spreadsheet,
/// upload; the LibreOffice round trip; every refusal with its place and the database unchanged; conflicts; submitting;
/// the verbs. Police rows on a case sheet: H7 seen-alone, H8 voice, H9 plan-type, H10 partners, H11 days,
/// H12 reviewed-on, H13 notes, H14 overall (B is the key, I the evidence, B3 the submit cell).
/// </summary>
public abstract class WorkbookTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    public static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("practice", null,
            Q("seen-alone", text: "Was the child seen alone?"),
            Q("voice", showIf: new ShowIf("seen-alone", ["yes", "partly"]), text: "Is the child's voice recorded?"),
            new QuestionDefinition("plan-type", "Which plan was in place?", "Look at the latest plan.", QuestionType.Choice, null,
                [new("cin", "Child in need", 1, Polarity.Positive), new("cp", "Child protection", 1, Polarity.Positive),
                 new("eh", "Early help, stepped down", 1, Polarity.Neutral)], false, 1, [], null),
            new QuestionDefinition("partners", "Which partners were consulted?", "", QuestionType.MultiChoice, null,
                [new("police", "Police", 1, Polarity.Positive), new("school", "School", 1, Polarity.Positive),
                 new("health", "Health visitor", 1, Polarity.Positive)], false, 1, [], null),
            new QuestionDefinition("days", "Days from concern to escalation", "", QuestionType.Number, null, [], false, 1, [], null),
            new QuestionDefinition("reviewed-on", "When was the plan last reviewed?", "", QuestionType.Date, null, [], false, 1, [], null),
            new QuestionDefinition("notes", "What difference did it make?", "", QuestionType.Text, null, [], false, 1, [], null))
        .Section("school", ["education"], Q("attendance", text: "Was attendance followed up?"))
        .Section("overall-section", null, Q("overall", scale: "ofsted4", text: "Overall, how good was the practice?"))
        .Build("workbook-test");

    private const string Formulaic = "=SUM(A1:A3) is what the record says";
    private const string QuotedEvidence = "She said \"I'm fine\", then cried.\nSeen again on 3 March.";

    /// <summary>DD-001 and DD-002 of the police workbook filled with every question type.</summary>
    private static readonly Dictionary<(string Case, string Key), object> Expected = new()
    {
        [("DD-001", "seen-alone")] = "partly",
        [("DD-001", "voice")] = "yes",
        [("DD-001", "plan-type")] = "eh",
        [("DD-001", "partners")] = new List<string> { "police", "health" },
        [("DD-001", "days")] = "12.5",
        [("DD-001", "reviewed-on")] = "2026-03-14",
        [("DD-001", "notes")] = Formulaic,
        [("DD-001", "overall")] = "good",
        [("DD-002", "seen-alone")] = "no",
        [("DD-002", "days")] = "7",
        [("DD-002", "reviewed-on")] = "2026-04-01",
    };

    private sealed class Setup(AuditScenario scenario, long auditId) : IDisposable
    {
        public AuditScenario S { get; } = scenario;

        public long AuditId { get; } = auditId;

        public WorkbookService Workbooks => S.Db.Get<WorkbookService>();

        public string File(string name) => Path.Combine(S.Db.Folder, name);

        public async Task<long> ReturnIdAsync(string caseRef, long agencyId) =>
            (await S.Db.Get<IAuditRepository>().GetReturnsAsync(AuditId)).Single(r => r.CaseRef == caseRef && r.AgencyId == agencyId).Id;

        public void Dispose() => S.Dispose();
    }

    private async Task<Setup> SetupAsync()
    {
        var s = await ScenarioAsync(cases: 0, open: false);
        var versionId = await s.Db.Get<ITemplateRepository>().CreateVersionAsync(Template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var auditId = await s.Planning.CreateAsync(s.Scrutineer,
            new AuditPlan("Workbook audit", AuditKinds.MultiAgency, "Purpose", "All", new DateOnly(2026, 12, 18), Thresholds.Default),
            versionId, [s.PoliceId, s.EducationId], confirmPastDate: true); // a fixed date the calendar overtakes
        foreach (var caseRef in new[] { "DD-001", "DD-002", "DD-003" })
        {
            await s.Planning.AddCaseAsync(s.Scrutineer, auditId, caseRef);
        }

        await s.Planning.OpenAsync(s.Scrutineer, auditId, confirmPastDate: true);
        return new Setup(s, auditId);
    }

    private static async Task<string> DownloadAsync(Setup w, Actor actor, string agencyKey = "police", string? name = null)
    {
        var path = w.File(name ?? $"{agencyKey}-{Guid.NewGuid():N}.xlsx");
        await using (var file = File.Create(path))
        {
            await w.Workbooks.DownloadAsync(actor, w.AuditId, agencyKey, file);
        }

        return path;
    }

    private static async Task<WorkbookUploadResult> UploadAsync(Setup w, Actor actor, string path, bool overwrite = false)
    {
        await using var file = File.OpenRead(path);
        return await w.Workbooks.UploadAsync(actor, file, Path.GetFileName(path), overwrite);
    }

    private static void Edit(string path, Action<XLWorkbook> edit)
    {
        using var book = new XLWorkbook(path);
        edit(book);
        book.Save();
    }

    private static IXLCell Row(XLWorkbook book, string sheet, string key, int column)
    {
        var ws = book.Worksheet(sheet);
        var row = ws.Column(2).CellsUsed().First(c => c.GetString() == key).Address.RowNumber;
        return ws.Cell(row, column);
    }

    private static IXLCell Answer(XLWorkbook book, string sheet, string key) => Row(book, sheet, key, 8);

    private static IXLCell Evidence(XLWorkbook book, string sheet, string key) => Row(book, sheet, key, 9);

    /// <summary>Typed as a person would: labels from the drop-downs, a number, a date cell, a date as text, quotes, line breaks, "=" text.</summary>
    private static void FillEveryType(XLWorkbook book)
    {
        Answer(book, "DD-001", "seen-alone").SetValue("Partly");
        Answer(book, "DD-001", "voice").SetValue("Yes");
        Answer(book, "DD-001", "plan-type").SetValue("Early help, stepped down");
        Answer(book, "DD-001", "partners").SetValue("Police; Health visitor");
        Answer(book, "DD-001", "days").SetValue(12.5);
        Answer(book, "DD-001", "reviewed-on").SetValue(new DateTime(2026, 3, 14));
        Answer(book, "DD-001", "notes").SetValue(Formulaic);
        Answer(book, "DD-001", "overall").SetValue("good");
        Evidence(book, "DD-001", "overall").SetValue(QuotedEvidence);
        Evidence(book, "DD-001", "notes").SetValue("+44 and @mention are not formulas either");
        Answer(book, "DD-002", "seen-alone").SetValue("No");
        Answer(book, "DD-002", "days").SetValue("7");
        Answer(book, "DD-002", "reviewed-on").SetValue("2026-04-01");
    }

    private static async Task AssertExpectedAnswersAsync(Setup w)
    {
        foreach (var caseRef in new[] { "DD-001", "DD-002", "DD-003" })
        {
            var view = await w.S.Returns.GetAsync(w.S.Scrutineer, await w.ReturnIdAsync(caseRef, w.S.PoliceId));
            var expected = Expected.Where(e => e.Key.Case == caseRef).ToDictionary(e => e.Key.Key, e => e.Value);
            Assert.Equal(expected.Keys.Order(), view.Values.Keys.Order());
            foreach (var (key, value) in expected)
            {
                Assert.Equal(value, view.Values[key]);
            }
        }

        var first = await w.S.Returns.GetAsync(w.S.Scrutineer, await w.ReturnIdAsync("DD-001", w.S.PoliceId));
        Assert.Equal(QuotedEvidence, first.Answers["overall"].Evidence);
        Assert.Equal("+44 and @mention are not formulas either", first.Answers["notes"].Evidence);
    }

    /// <summary>Row counts of every table but the audit log, every answer and every return's status.</summary>
    private static string Snapshot(TestDatabase db)
    {
        using var connection = db.Factory.Open();
        var tables = connection.Query<string>(db.Engine == DatabaseEngine.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name").ToList();
        var lines = tables.Where(t => t != "audit_log").Select(t => $"{t}={connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM \"{t}\"")}").ToList();
        lines.AddRange(connection.Query<string>(
            "SELECT return_id || ':' || question_id || ':' || COALESCE(value, '-') || ':' || COALESCE(evidence, '-') FROM answers ORDER BY return_id, question_id"));
        lines.AddRange(connection.Query<string>("SELECT id || ':' || status FROM agency_returns ORDER BY id"));
        Assert.Contains(lines, l => l.StartsWith("answers=", StringComparison.Ordinal));
        return string.Join("\n", lines);
    }

    private static long LogCount(Setup w, string action, string? userName = null)
    {
        using var connection = w.S.Db.Factory.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE action = @action AND (@userName IS NULL OR user_name = @userName)",
            new { action, userName });
    }

    [Fact]
    public async Task RoundTrip_EveryQuestionType_SavesWhatWasTyped_AndTheNextDownloadShowsIt()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        Edit(path, FillEveryType);

        var result = await UploadAsync(w, w.S.PoliceAuditor, path);

        await AssertExpectedAnswersAsync(w);
        // Counted by value, as listed: 11 answers and 2 notes saved; 48 values on 24 rows.
        Assert.Equal(13, result.Saved);
        Assert.Equal(35, result.Unchanged);
        Assert.Empty(result.Conflicts);
        Assert.Equal(13, result.Changes.Count);
        Assert.Equal(13, LogCount(w, "update-from-workbook", "police.auditor"));
        Assert.Equal(ReturnStatuses.InProgress, (await w.S.Returns.GetAsync(w.S.PoliceAuditor, await w.ReturnIdAsync("DD-001", w.S.PoliceId))).Return.Status);

        var again = await DownloadAsync(w, w.S.PoliceAuditor);
        using var book = new XLWorkbook(again);
        Assert.Equal("Partly", Answer(book, "DD-001", "seen-alone").GetString());
        Assert.Equal("Early help, stepped down", Answer(book, "DD-001", "plan-type").GetString());
        Assert.Equal("Police; Health visitor", Answer(book, "DD-001", "partners").GetString());
        Assert.Equal(12.5, Answer(book, "DD-001", "days").GetDouble());
        Assert.Equal(new DateTime(2026, 3, 14), Answer(book, "DD-001", "reviewed-on").GetDateTime());
        Assert.False(Answer(book, "DD-001", "notes").HasFormula);
        Assert.Equal(Formulaic, Answer(book, "DD-001", "notes").GetString());
        Assert.Equal(QuotedEvidence, Evidence(book, "DD-001", "overall").GetString());
        Assert.Equal("Good", Answer(book, "DD-001", "overall").GetString());
        Assert.Equal("No", Answer(book, "DD-002", "seen-alone").GetString());

        // The same workbook uploaded again changes nothing.
        var second = await UploadAsync(w, w.S.PoliceAuditor, again);
        Assert.Equal(0, second.Saved);
        Assert.Equal(48, second.Unchanged);
    }

    [Fact]
    public async Task SavedAgainByLibreOffice_GivesTheSameAnswers()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        Edit(path, FillEveryType);
        var resaved = Spreadsheets.ResaveWithLibreOffice(path);
        Assert.NotEqual(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(resaved));

        var result = await UploadAsync(w, w.S.PoliceAuditor, resaved);

        await AssertExpectedAnswersAsync(w);
        Assert.Equal(13, result.Saved);
        Assert.Empty(result.Conflicts);
    }

    [Fact]
    public async Task Download_HasTheDocumentedLayout()
    {
        using var w = await SetupAsync();
        var police3 = await w.ReturnIdAsync("DD-003", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police3, "seen-alone", "no");
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police3, "overall", "good");
        await w.S.Returns.SubmitAsync(w.S.PoliceAuditor, police3);

        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        var educationPath = await DownloadAsync(w, w.S.Scrutineer, "education");

        using var book = new XLWorkbook(path);
        // Submitted returns are left out: DD-003 is submitted.
        Assert.Equal(["Instructions", "DD-001", "DD-002"], book.Worksheets.Select(s => s.Name));
        var instructions = book.Worksheet("Instructions");
        string Info(string label) => instructions.Column(1).CellsUsed().First(c => c.GetString() == label).CellRight().GetString();
        Assert.Equal("audittool.workbook/v1", Info("Format"));
        Assert.Equal("Workbook audit", Info("Audit"));
        Assert.Equal(w.AuditId.ToString(), Info("Audit id"));
        Assert.Equal("Cleveland Police", Info("Agency"));
        Assert.Equal("police", Info("Agency key"));
        Assert.Equal("18 December 2026", Info("Deadline"));
        Assert.Equal("police.auditor", Info("Downloaded by"));
        // People read the download time in en-GB; the exact stamp the upload needs is in a hidden row.
        Assert.Matches(@"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} at \d{2}:\d{2} \((UK time|UTC)\)$", Info("Downloaded"));
        Assert.DoesNotContain("T", Info("Downloaded").Replace("UTC", "").Replace("UK time", ""));
        var stamp = instructions.Column(1).CellsUsed().First(c => c.GetString() == "Download stamp (do not change)");
        Assert.True(stamp.WorksheetRow().IsHidden);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(stamp.CellRight().GetString(), System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(instructions.Column(1).CellsUsed(), c => c.GetString() == "Downloaded (UTC)");

        var ws = book.Worksheet("DD-001");
        Assert.Equal("Submit this return", ws.Cell("A3").GetString());
        Assert.Equal("No", ws.Cell("B3").GetString());
        Assert.Equal(["Section", "Key", "Question", "Guidance", "Required", "When to answer", "How to answer", "Answer", "Evidence"],
            ws.Row(6).CellsUsed().Select(c => c.GetString()));
        Assert.Equal(["seen-alone", "voice", "plan-type", "partners", "days", "reviewed-on", "notes", "overall"],
            Enumerable.Range(7, 8).Select(r => ws.Cell(r, 2).GetString()));
        Assert.Equal("Answer only when \u201cWas the child seen alone?\u201d is Yes or Partly.", ws.Cell("F8").GetString());
        Assert.True(ws.IsProtected);
        Assert.False(ws.IsPasswordProtected);
        Assert.False(ws.Cell("B3").Style.Protection.Locked);
        Assert.False(ws.Cell("H7").Style.Protection.Locked);
        Assert.False(ws.Cell("I14").Style.Protection.Locked);
        Assert.True(ws.Cell("B7").Style.Protection.Locked);
        Assert.True(ws.Cell("C7").Style.Protection.Locked);
        Assert.True(ws.Cell("A1").Style.Protection.Locked);
        var xml = Spreadsheets.SheetXml(path, "DD-001");
        Assert.Contains("<x:sheetProtection", xml.Replace("<sheetProtection", "<x:sheetProtection"));
        Assert.Contains("type=\"list\"", xml);
        Assert.Contains("type=\"decimal\"", xml);
        Assert.Contains("type=\"date\"", xml);
        Assert.Empty(Spreadsheets.ValidationErrors(path));

        using var education = new XLWorkbook(educationPath);
        Assert.Contains("attendance", Enumerable.Range(7, 9).Select(r => education.Worksheet("DD-003").Cell(r, 2).GetString()));
        Assert.Equal("scrutineer", education.Worksheet("Instructions").Column(1).CellsUsed().First(c => c.GetString() == "Downloaded by").CellRight().GetString());
    }

    [Fact]
    public async Task Printed_EachCaseIsLandscapeOnePageWide_WithItsHeaderRowOnEveryPage()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);

        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
        {
            string Xml(string entry)
            {
                using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
                return reader.ReadToEnd();
            }

            var workbookXml = Xml("xl/workbook.xml");
            // Sheets 2 to 4 are the cases (sheet 1 is the Instructions): each repeats its header row (row 6) and has a print area.
            foreach (var (sheet, localId) in new[] { ("DD-001", 1), ("DD-002", 2), ("DD-003", 3) })
            {
                Assert.Matches($"<(x:)?definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{localId}\"[^>]*>'?{sheet}'?!\\$?6:\\$?6</", workbookXml);
                Assert.Matches($"<(x:)?definedName name=\"_xlnm.Print_Area\" localSheetId=\"{localId}\"[^>]*>'?{sheet}'?!\\$A\\$1:\\$I\\$14</", workbookXml);
            }

            foreach (var entry in new[] { "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml" })
            {
                var sheetXml = Xml(entry);
                Assert.Contains("fitToPage=\"1\"", sheetXml);
                Assert.Matches("<(x:)?pageSetup[^>]*orientation=\"landscape\"", sheetXml);
                Assert.Matches("<(x:)?pageSetup[^>]*fitToHeight=\"0\"", sheetXml);
                Assert.DoesNotMatch("<(x:)?pageSetup[^>]*fitToWidth=\"(0|[2-9])", sheetXml); // 1 is the default, written or not
            }
        }

        // What a person gets from the printer: a page per case, not a page per column (it was 30 pages for this workbook).
        var pdf = LibreOffice.Convert(path, "pdf");
        var pages = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(pdf)), @"/Type\s*/Page[^s]").Count;
        Assert.InRange(pages, 4, 6); // the Instructions (one or two pages) and a page for each of the three cases
    }

    [Fact]
    public async Task AWorkbookFromBeforeTheHiddenStamp_StillUploads()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        // Workbooks made before the readable download time carried the stamp beside "Downloaded (UTC)".
        Edit(path, book =>
        {
            var instructions = book.Worksheet("Instructions");
            instructions.Column(1).CellsUsed().First(c => c.GetString() == "Downloaded").WorksheetRow().Delete();
            instructions.Column(1).CellsUsed().First(c => c.GetString() == "Download stamp (do not change)").SetValue("Downloaded (UTC)");
            Answer(book, "DD-001", "overall").SetValue("Good");
        });

        var result = await UploadAsync(w, w.S.PoliceAuditor, path);

        Assert.Equal(1, result.Saved);
    }

    [Fact]
    public async Task EachRefusal_NamesItsPlaceInPlainEnglish_AndSavesNothing()
    {
        using var w = await SetupAsync();
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "days", "3");
        var clean = await DownloadAsync(w, w.S.PoliceAuditor);

        async Task<IReadOnlyList<string>> RefusedAsync(Action<XLWorkbook> edit)
        {
            var path = w.File($"refused-{Guid.NewGuid():N}.xlsx");
            File.Copy(clean, path);
            Edit(path, edit);
            var before = Snapshot(w.S.Db);
            var ex = await Assert.ThrowsAsync<WorkbookException>(() => UploadAsync(w, w.S.PoliceAuditor, path));
            Assert.Equal(before, Snapshot(w.S.Db));
            return ex.Problems;
        }

        Assert.Equal(["DD-001!H7: \"Mostly\" is not one of Yes, Partly, No, Not applicable"],
            await RefusedAsync(b => Answer(b, "DD-001", "seen-alone").SetValue("Mostly")));
        Assert.Equal(["DD-001!H10: \"Navy\" is not one of Police, School, Health visitor"],
            await RefusedAsync(b => Answer(b, "DD-001", "partners").SetValue("Police; Navy")));
        Assert.Equal(["DD-002!H11: \"twelve\" is not a number."],
            await RefusedAsync(b => Answer(b, "DD-002", "days").SetValue("twelve")));
        Assert.Equal(["DD-002!H12: \"14/03/2026\" is not a date: write it as yyyy-mm-dd (for example 2026-03-14)."],
            await RefusedAsync(b => Answer(b, "DD-002", "reviewed-on").SetValue("14/03/2026")));
        Assert.Equal(["DD-001!H11: this cell holds a formula: type the answer, not a formula."],
            await RefusedAsync(b => Answer(b, "DD-001", "days").FormulaA1 = "2+3"));
        Assert.Equal(["DD-001!H8: \"Is the child's voice recorded?\" is answered only when \u201cWas the child seen alone?\u201d is Yes or Partly; leave it blank or change that answer."],
            await RefusedAsync(b =>
            {
                Answer(b, "DD-001", "seen-alone").SetValue("No");
                Answer(b, "DD-001", "voice").SetValue("Yes");
            }));
        Assert.Equal(["DD-001!B15: \"attendance\" is not a question of \"Workbook audit\" for Cleveland Police."],
            await RefusedAsync(b =>
            {
                b.Worksheet("DD-001").Cell("B15").SetValue("attendance");
                b.Worksheet("DD-001").Cell("H15").SetValue("Yes");
            }));
        Assert.Equal(["DD-001!B7: \"no-such-question\" is not a question of \"Workbook audit\" for Cleveland Police."],
            await RefusedAsync(b => b.Worksheet("DD-001").Cell("B7").SetValue("no-such-question")));
        Assert.Equal(["DD-999!A1: this sheet is not a case of Cleveland Police in \"Workbook audit\". Keep only the case sheets the workbook came with."],
            await RefusedAsync(b => b.AddWorksheet("DD-999").Cell("A1").SetValue("my notes")));
        Assert.Equal(["DD-001!B3: \"Maybe\" is not one of Yes, No"],
            await RefusedAsync(b => b.Worksheet("DD-001").Cell("B3").SetValue("Maybe")));
        Assert.Equal(
            [
                "DD-001!H8: \"Is the child's voice recorded?\" must be answered before this return can be submitted (Submit this return is Yes).",
                "DD-001!H14: \"Overall, how good was the practice?\" must be answered before this return can be submitted (Submit this return is Yes).",
            ],
            await RefusedAsync(b =>
            {
                b.Worksheet("DD-001").Cell("B3").SetValue("Yes");
                Answer(b, "DD-001", "seen-alone").SetValue("Yes");
            }));

        // Several problems at once are all listed, at most 200 of them.
        var many = await RefusedAsync(b =>
        {
            for (var r = 15; r < 400; r++)
            {
                b.Worksheet("DD-002").Cell(r, 2).SetValue($"made-up-{r}");
            }
        });
        Assert.Equal(200, many.Count);
        Assert.Equal("DD-002!B15: \"made-up-15\" is not a question of \"Workbook audit\" for Cleveland Police.", many[0]);

        // A spreadsheet that is not an agency workbook says so plainly.
        var foreign = w.File("foreign.xlsx");
        using (var book = new XLWorkbook())
        {
            book.AddWorksheet("Sheet1").Cell("A1").SetValue("hello");
            book.SaveAs(foreign);
        }

        var notWorkbook = await Assert.ThrowsAsync<WorkbookException>(() => UploadAsync(w, w.S.PoliceAuditor, foreign));
        Assert.StartsWith("Instructions!A1: this is not an AuditTool agency workbook (audittool.workbook/v1)", Assert.Single(notWorkbook.Problems));
        Assert.Equal("3", (await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1)).Values["days"]);
    }

    [Fact]
    public async Task HiddenAnswer_IsWrittenBlank_ABlankThereKeepsIt_AndItComesBackWhenTheWorkbookShowsItAgain()
    {
        using var w = await SetupAsync();
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "seen-alone", "yes");
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "voice", "yes");
        await w.S.Returns.SaveEvidenceAsync(w.S.PoliceAuditor, police1, "voice", "Spoke to her alone.");
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "seen-alone", "no");
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        using (var book = new XLWorkbook(path))
        {
            Assert.Equal("No", Answer(book, "DD-001", "seen-alone").GetString());
            Assert.True(Answer(book, "DD-001", "voice").IsEmpty());
            Assert.True(Evidence(book, "DD-001", "voice").IsEmpty());
        }

        var unchanged = await UploadAsync(w, w.S.PoliceAuditor, path);

        Assert.Equal(0, unchanged.Saved);
        using (var connection = w.S.Db.Factory.Open())
        {
            Assert.Equal("yes|Spoke to her alone.", connection.ExecuteScalar<string>("""
                SELECT a.value || '|' || a.evidence FROM answers a JOIN template_questions q ON q.id = a.question_id
                WHERE a.return_id = @police1 AND q.key = 'voice'
                """, new { police1 }));
        }

        Edit(path, b => Answer(b, "DD-001", "seen-alone").SetValue("Partly"));
        var shownAgain = await UploadAsync(w, w.S.PoliceAuditor, path);

        Assert.Equal(["seen-alone"], shownAgain.Changes.Select(c => c.QuestionKey));
        var view = await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1);
        Assert.Equal("yes", view.Values["voice"]);
        Assert.Equal("Spoke to her alone.", view.Answers["voice"].Evidence);
    }

    [Fact]
    public async Task UnchangedWorkbook_SavesNothing_WhateverLineBreaksItsNotesWereSavedWith()
    {
        using var w = await SetupAsync();
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveEvidenceAsync(w.S.PoliceAuditor, police1, "overall", "Seen at home.\r\nSpoke to the school.");
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "notes", "First line\r\nSecond line\rThird line");
        var police2 = await w.ReturnIdAsync("DD-002", w.S.PoliceId);
        await w.S.Returns.SaveEvidenceAsync(w.S.PoliceAuditor, police2, "overall", "Kept as it was");
        using (var connection = w.S.Db.Factory.Open())
        {
            // A note stored with CR LF before saves kept LF only.
            connection.Execute("UPDATE answers SET evidence = @note WHERE return_id = @police2", new { police2, note = "Stored long ago\r\nwith CR LF" });
        }

        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        var result = await UploadAsync(w, w.S.PoliceAuditor, path);

        Assert.Empty(result.Changes);
        Assert.Equal(0, result.Saved);
        Assert.StartsWith("0 saved, 48 unchanged, 0 conflicts", result.Headline);
        var view = await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1);
        Assert.Equal("Seen at home.\nSpoke to the school.", view.Answers["overall"].Evidence);
        Assert.Equal("First line\nSecond line\nThird line", view.Values["notes"]);
    }

    [Fact]
    public async Task Summary_CountsTheValuesItLists()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        Edit(path, b =>
        {
            Answer(b, "DD-001", "overall").SetValue("Good");
            Evidence(b, "DD-001", "overall").SetValue("Good work with the school.");
            Answer(b, "DD-002", "seen-alone").SetValue("No");
        });

        var result = await UploadAsync(w, w.S.PoliceAuditor, path);
        var lines = WorkbookSummary.Lines(result, path).ToList();

        Assert.Equal(3, result.Saved);
        Assert.Equal(3, result.Changes.Count);
        Assert.StartsWith("Uploaded ", lines[0]);
        Assert.Contains(": 3 saved, 45 unchanged, 0 conflicts.", lines[0]);
        Assert.Equal(3, lines.SkipWhile(l => l != "Saved:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Count());
    }

    [Fact]
    public async Task AProblemInACell_IsListedOnce()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        Edit(path, b =>
        {
            b.Worksheet("DD-001").Cell("B3").SetValue("Yes");
            Answer(b, "DD-001", "seen-alone").SetValue("No");
            Answer(b, "DD-001", "overall").SetValue("Goodish");
        });

        var ex = await Assert.ThrowsAsync<WorkbookException>(() => UploadAsync(w, w.S.PoliceAuditor, path));

        Assert.Equal(["DD-001!H14: \"Goodish\" is not one of Outstanding, Good, Requires improvement, Inadequate"], ex.Problems);
    }

    [Fact]
    public async Task WorkbooksOfAnotherAgency_OrAClosedAudit_OrWithoutTheRight_AreRefusedAndLogged()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        Edit(path, FillEveryType);
        var before = Snapshot(w.S.Db);

        var otherAgency = await Assert.ThrowsAsync<AccessDeniedException>(() => UploadAsync(w, w.S.EducationAuditor, path));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UploadAsync(w, w.S.PoliceManager, path));
        await Assert.ThrowsAsync<AccessDeniedException>(() => UploadAsync(w, w.S.Executive, path));
        await Assert.ThrowsAsync<AccessDeniedException>(() => DownloadAsync(w, w.S.EducationAuditor, "police"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => DownloadAsync(w, w.S.Administrator, "police"));

        Assert.Equal("This workbook is for Cleveland Police's returns: you may download and upload only your own agency's.", otherAgency.Message);
        Assert.Equal(2, LogCount(w, "access-refused", "education.auditor"));
        Assert.Equal(1, LogCount(w, "access-refused", "police.manager"));
        Assert.Equal(before, Snapshot(w.S.Db));

        await w.S.Planning.MoveToModerationAsync(w.S.Scrutineer, w.AuditId);
        var inModeration = Snapshot(w.S.Db);
        var closed = await Assert.ThrowsAsync<AccessDeniedException>(() => UploadAsync(w, w.S.PoliceAuditor, path));
        Assert.Equal(inModeration, Snapshot(w.S.Db));
        Assert.Equal("\"Workbook audit\" is not open for returns (it is moderation), so its workbooks can no longer be downloaded or uploaded.", closed.Message);
        Assert.Equal(1, LogCount(w, "access-refused", "police.auditor"));
        Assert.Equal(0, LogCount(w, "update-from-workbook"));
    }

    [Fact]
    public async Task FilesOverTheLimits_AreRefusedBeforeParsing()
    {
        using var w = await SetupAsync();
        var before = Snapshot(w.S.Db);

        async Task<string> RefusedAsync(byte[] bytes)
        {
            var ex = await Assert.ThrowsAsync<WorkbookException>(() => w.Workbooks.UploadAsync(w.S.PoliceAuditor, new MemoryStream(bytes), "big.xlsx", false));
            Assert.Equal(before, Snapshot(w.S.Db));
            return Assert.Single(ex.Problems);
        }

        static byte[] Zip(Action<ZipArchive> fill)
        {
            var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                fill(zip);
            }

            return buffer.ToArray();
        }

        Assert.StartsWith("The file is larger than 20 MB", await RefusedAsync(new byte[WorkbookFormat.MaxFileBytes + 1]));
        Assert.StartsWith("The file holds 501 sheets; at most 500 are accepted", await RefusedAsync(Zip(zip =>
        {
            for (var i = 1; i <= 501; i++)
            {
                using var s = zip.CreateEntry($"xl/worksheets/sheet{i}.xml").Open();
                s.Write("<worksheet/>"u8);
            }
        })));
        var bomb = Zip(zip =>
        {
            using var s = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 201; i++)
            {
                s.Write(zeros);
            }
        });
        Assert.True(bomb.Length < WorkbookFormat.MaxFileBytes);
        Assert.StartsWith("The file expands to more than 200 MB", await RefusedAsync(bomb));
        Assert.StartsWith("The file is not an Excel workbook (.xlsx)", await RefusedAsync("just some text"u8.ToArray()));
    }

    [Fact]
    public async Task AnswerChangedInTheAppAfterTheDownload_IsAConflict_KeptUnlessConfirmed()
    {
        using var w = await SetupAsync();
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "overall", "requires-improvement");
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "overall", "outstanding");
        Edit(path, FillEveryType);

        var kept = await UploadAsync(w, w.S.PoliceAuditor, path);

        var conflict = Assert.Single(kept.Conflicts);
        Assert.Equal(("DD-001!H14", "overall", "answer", "Outstanding", "Good", false),
            (conflict.Cell, conflict.QuestionKey, conflict.Field, conflict.InApp, conflict.InWorkbook, conflict.Overwritten));
        Assert.Equal(1, kept.KeptConflicts);
        var view = await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1);
        Assert.Equal("outstanding", view.Values["overall"]);
        Assert.Equal("partly", view.Values["seen-alone"]);
        Assert.Equal(QuotedEvidence, view.Answers["overall"].Evidence);
        Assert.Contains(WorkbookSummary.Lines(kept, path), l => l.Contains("DD-001!H14 overall answer: in the app \"Outstanding\"") && l.Contains("in the workbook \"Good\""));

        var overwritten = await UploadAsync(w, w.S.PoliceAuditor, path, overwrite: true);

        Assert.True(Assert.Single(overwritten.Conflicts).Overwritten);
        Assert.Equal(1, overwritten.Saved);
        Assert.Equal("good", (await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1)).Values["overall"]);
    }

    [Fact]
    public async Task SubmitYes_SubmitsTheReturnAfterSaving_AndTheNextWorkbookLeavesItOut()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.PoliceAuditor);
        var early = w.File("early.xlsx");
        File.Copy(path, early);
        Edit(path, b =>
        {
            FillEveryType(b);
            b.Worksheet("DD-001").Cell("B3").SetValue("Yes");
        });

        var result = await UploadAsync(w, w.S.PoliceAuditor, path);

        Assert.Equal(["DD-001"], result.Submitted);
        var view = await w.S.Returns.GetAsync(w.S.PoliceAuditor, await w.ReturnIdAsync("DD-001", w.S.PoliceId));
        Assert.Equal(ReturnStatuses.Submitted, view.Return.Status);
        Assert.Equal(1, LogCount(w, "submit", "police.auditor"));
        using var next = new XLWorkbook(await DownloadAsync(w, w.S.PoliceAuditor));
        Assert.Equal(["Instructions", "DD-002", "DD-003"], next.Worksheets.Select(s => s.Name));

        // A workbook downloaded before the submission: a change to the submitted return is refused.
        Edit(early, b => Evidence(b, "DD-001", "seen-alone").SetValue("A note written after all"));
        var ex = await Assert.ThrowsAsync<WorkbookException>(() => UploadAsync(w, w.S.PoliceAuditor, early));
        Assert.StartsWith("DD-001!B3: the return for DD-001 has been submitted, so it can no longer be changed", Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task Store_SavesNothing_WhenTheAnswersAreNoLongerWhatWasChecked()
    {
        using var w = await SetupAsync();
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "days", "3");
        var before = Snapshot(w.S.Db);
        var stale = new ReturnUpload(police1, ReturnStatuses.InProgress, [], [new FieldChange("seen-alone", WorkbookFields.Answer, null, "yes")], Submit: true);

        var saved = await w.S.Db.Get<IWorkbookStore>().SaveAsync(new WorkbookSave(w.AuditId, [stale], null, "test", DateTimeOffset.UtcNow, "stale"));

        Assert.False(saved);
        Assert.Equal(before, Snapshot(w.S.Db));
        Assert.Equal(0, LogCount(w, "upload-workbook"));
    }

    [Fact]
    public async Task Scrutineer_DownloadsAndUploadsOnBehalfOfAnAgency()
    {
        using var w = await SetupAsync();
        var path = await DownloadAsync(w, w.S.Scrutineer, "education");
        Edit(path, b =>
        {
            Answer(b, "DD-002", "attendance").SetValue("Not applicable");
            Evidence(b, "DD-002", "attendance").SetValue("Home educated since May.");
        });

        var result = await UploadAsync(w, w.S.Scrutineer, path);

        Assert.Equal(2, result.Saved);
        var view = await w.S.Returns.GetAsync(w.S.Scrutineer, await w.ReturnIdAsync("DD-002", w.S.EducationId));
        Assert.Equal("na", view.Values["attendance"]);
        Assert.Equal(2, LogCount(w, "update-from-workbook", "scrutineer"));
        Assert.Equal(1, LogCount(w, "upload-workbook", "scrutineer"));
    }

    [Fact]
    public async Task Verbs_ExportAndImportWorkbooks_WithTheAccountsRights()
    {
        using var w = await SetupAsync();
        var file = w.File("cli.xlsx");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["export-workbook", w.AuditId.ToString(), "police", file, "--db", w.S.Db.Location], stdout, stderr, TextReader.Null);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("(3 open returns)", stdout.ToString());

        Edit(file, b => Answer(b, "DD-001", "seen-alone").SetValue("Maybe"));
        stdout = new StringWriter();
        stderr = new StringWriter();
        code = await CommandLine.RunAsync(["import-workbook", file, "--user", "police.auditor", "--db", w.S.Db.Location], stdout, stderr, TextReader.Null);
        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("was not imported; nothing was saved:", stderr.ToString());
        Assert.Contains("  DD-001!H7: \"Maybe\" is not one of Yes, Partly, No, Not applicable", stderr.ToString());

        Edit(file, FillEveryType);
        var police1 = await w.ReturnIdAsync("DD-001", w.S.PoliceId);
        await w.S.Returns.SaveAnswerAsync(w.S.PoliceAuditor, police1, "overall", "inadequate");
        stdout = new StringWriter();
        code = await CommandLine.RunAsync(["import-workbook", file, "--user", "police.auditor", "--db", w.S.Db.Location], stdout, stderr, TextReader.Null);
        Assert.Equal(0, code);
        Assert.Contains("Uploaded cli.xlsx for Cleveland Police in \"Workbook audit\": 12 saved, 35 unchanged, 1 conflict.", stdout.ToString());
        Assert.Contains("DD-001!H14 overall answer: in the app \"Inadequate\"", stdout.ToString());
        Assert.Equal("inadequate", (await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1)).Values["overall"]);

        stdout = new StringWriter();
        code = await CommandLine.RunAsync(["import-workbook", file, "--user", "police.auditor", "--overwrite", "--db", w.S.Db.Location], stdout, stderr, TextReader.Null);
        Assert.Equal(0, code);
        Assert.Contains("1 saved, 47 unchanged, 0 conflicts (1 overwritten)", stdout.ToString());
        Assert.Equal("good", (await w.S.Returns.GetAsync(w.S.PoliceAuditor, police1)).Values["overall"]);

        stderr = new StringWriter();
        code = await CommandLine.RunAsync(["import-workbook", file, "--user", "education.auditor", "--db", w.S.Db.Location], new StringWriter(), stderr, TextReader.Null);
        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("you may download and upload only your own agency's", stderr.ToString());
        Assert.Equal(CommandLine.Usage, await CommandLine.RunAsync(["import-workbook", file, "--db", w.S.Db.Location], new StringWriter(), new StringWriter(), TextReader.Null));
    }
}

public sealed class WorkbookTestsOnSqlite() : WorkbookTests(DatabaseEngine.Sqlite);

public sealed class WorkbookTestsOnPostgres() : WorkbookTests(DatabaseEngine.Postgres);
