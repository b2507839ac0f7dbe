using AuditTool.Data;
using System.Globalization;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

public abstract class ExcelExportTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static readonly string[] Dangerous = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTabbed", "\rCarriage", "\nNew line first"];

    /// <summary>Five cases, both agencies submitted, moderated, with a finding and an action; evidence holds formula-looking text.</summary>
    private async Task<AuditScenario> PublishedAsync()
    {
        var s = await ScenarioAsync(cases: 5);
        for (var i = 1; i <= 5; i++)
        {
            var police = await s.ReturnIdAsync($"C-{i:000}", s.PoliceId);
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", i == 5 ? "no" : "yes");
            if (i != 5)
            {
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", i == 4 ? "partly" : "yes");
            }

            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "days", (i * 2.5).ToString(CultureInfo.InvariantCulture));
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "partners", i % 2 == 0 ? new List<string> { "police", "school" } : new List<string> { "none" });
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", i <= 3 ? "good" : "requires-improvement");
            await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "overall", Dangerous[i - 1]);
            await s.Returns.SubmitAsync(s.PoliceAuditor, police);
            var education = await s.ReturnIdAsync($"C-{i:000}", s.EducationId);
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "na");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", i == 1 ? "yes" : "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "inadequate");
            await s.Returns.SaveEvidenceAsync(s.EducationAuditor, education, "overall", Dangerous[5 + i % 2] + " school");
            await s.Returns.SubmitAsync(s.EducationAuditor, education);
        }

        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var cases = await s.Db.Get<AuditTool.Domain.Audits.IAuditRepository>().GetCasesAsync(s.AuditId);
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, cases[0].Id, "overall", "good", "=cmd|' /C calc'!A0 is not a formula");
        var findings = s.Db.Get<FindingsService>();
        var view = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);
        var finding = await findings.KeepProposalAsync(s.Scrutineer, s.AuditId, view.Proposals[0]);
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("-Review attendance guidance", s.EducationId, new DateOnly(2027, 1, 31), ActionStatuses.Open, finding), confirmPastDate: true); // fixed; the calendar overtakes it
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        return s;
    }

    private static async Task<string> ExportAsync(AuditScenario s, Actor actor)
    {
        var path = Path.Combine(s.Db.Folder, $"export-{Guid.NewGuid():N}.xlsx");
        await using (var file = File.Create(path))
        {
            await s.Db.Get<ExportService>().ExportXlsxAsync(actor, s.AuditId, file);
        }

        return path;
    }

    [Fact]
    public async Task Workbook_HasTheEightSheets_AndTheValidatorFindsNoError()
    {
        using var s = await PublishedAsync();

        var path = await ExportAsync(s, s.Scrutineer);

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, false);
        Assert.Equal(["Summary", "Questions", "Agencies", "Themes", "Responses", "Moderation", "Reliability", "Actions"],
            document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(x => x.Name!.Value));
        var responses = Spreadsheets.SheetXml(path, "Responses");
        Assert.Contains("state=\"frozen\"", responses);
        Assert.Contains("autoFilter ref=\"A1:H", responses);
        Assert.Contains(" s=\"1\"", responses); // bold header
    }

    [Fact]
    public async Task FormulaLookingText_IsWrittenAsLiteralText_AndLibreOfficeShowsItAsWritten()
    {
        using var s = await PublishedAsync();
        var path = await ExportAsync(s, s.Scrutineer);

        var xml = Spreadsheets.SheetXml(path, "Responses") + Spreadsheets.SheetXml(path, "Moderation") + Spreadsheets.SheetXml(path, "Actions");
        var libre = Spreadsheets.ReadWithLibreOffice(path);

        Assert.DoesNotContain("<x:f", xml);
        Assert.DoesNotContain("<f>", xml);
        var evidence = libre["Responses"].Skip(1).Select(r => r[7]).ToHashSet();
        foreach (var text in Dangerous.Take(5))
        {
            Assert.Contains(text, evidence);
        }

        // Line breaks are written as LF: the carriage return at the start reads back as a line break, not a formula.
        Assert.Contains(Dangerous[5].Replace('\r', '\n') + " school", evidence);
        Assert.Contains(Dangerous[6] + " school", evidence);
        Assert.Equal("=cmd|' /C calc'!A0 is not a formula", libre["Moderation"][1].Last());
        Assert.Equal("-Review attendance guidance", libre["Actions"][1][0]);
    }

    [Fact]
    public async Task QuestionsSheet_MatchesTheAggregation_FigureForFigure()
    {
        using var s = await PublishedAsync();
        var path = await ExportAsync(s, s.Scrutineer);
        var figures = (await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId)).Figures;

        var rows = Spreadsheets.ReadSheet(path, "Questions");
        var header = rows[0];
        var byKey = rows.Skip(1).ToDictionary(r => r[1]);

        Assert.Equal(figures.Questions.Count, rows.Count - 1);
        foreach (var q in figures.Questions)
        {
            var row = byKey[q.Key];
            Assert.Equal(q.Counted.ToString(CultureInfo.InvariantCulture), row[header.IndexOf("Counted answers")]);
            Assert.Equal(q.NotApplicable.ToString(CultureInfo.InvariantCulture), row[header.IndexOf("Not applicable")]);
            for (var i = 0; i < q.Options.Count; i++)
            {
                Assert.Equal(q.Options[i].Label, row[header.IndexOf($"Option {i + 1}")]);
                Assert.Equal(q.Options[i].Count.ToString(CultureInfo.InvariantCulture), row[header.IndexOf($"Option {i + 1} count")]);
                Assert.Equal(q.Options[i].Share, double.Parse(row[header.IndexOf($"Option {i + 1} share")], CultureInfo.InvariantCulture), 12);
            }

            var rate = row[header.IndexOf("Positive rate")];
            if (q.PositiveRate is { } expected)
            {
                Assert.Equal(expected, double.Parse(rate, CultureInfo.InvariantCulture), 12);
            }
            else
            {
                Assert.Equal(string.Empty, rate);
            }
        }

        // Hand-checked: seen-alone counts police only (education said n/a): yes x4, no x1 => 80%, 5 counted, 5 n/a.
        Assert.Equal(0.8, double.Parse(byKey["seen-alone"][header.IndexOf("Positive rate")], CultureInfo.InvariantCulture), 12);
        Assert.Equal("5", byKey["seen-alone"][header.IndexOf("Not applicable")]);
        Assert.Equal("Strength", byKey["seen-alone"][header.IndexOf("Classification")]);
    }

    [Fact]
    public async Task LibreOffice_ReadsTheSameValuesAsTheSdk()
    {
        using var s = await PublishedAsync();
        var path = await ExportAsync(s, s.Scrutineer);

        var libre = Spreadsheets.ReadWithLibreOffice(path);

        foreach (var sheet in new[] { "Responses", "Themes", "Actions" })
        {
            var sdk = Spreadsheets.ReadSheet(path, sheet);
            Assert.Equal(sdk.Count, libre[sheet].Count);
            for (var r = 0; r < sdk.Count; r++)
            {
                for (var c = 0; c < sdk[r].Count; c++)
                {
                    var expected = sdk[r][c];
                    var actual = libre[sheet][r][c];
                    if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
                        DateTime.TryParseExact(actual, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        // A date cell: LibreOffice shows the date, the file holds its serial number.
                        Assert.Equal(DateTime.FromOADate(number), date);
                    }
                    else if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && !string.IsNullOrEmpty(actual) &&
                        double.TryParse(actual.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var shown))
                    {
                        // LibreOffice writes numbers as formatted (percentages as 80.0%): compare the value.
                        var value = actual.EndsWith('%') ? shown / 100 : shown;
                        Assert.True(Math.Abs(value - number) < 0.001, $"{sheet} row {r} col {c}: {expected} vs {actual}");
                    }
                    else
                    {
                        Assert.Equal(expected, actual);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task ManagersWorkbook_HoldsOnlyTheirAgencysResponses_WithPartnershipFigures()
    {
        using var s = await PublishedAsync();

        var path = await ExportAsync(s, s.PoliceManager);

        var responses = Spreadsheets.ReadSheet(path, "Responses").Skip(1).ToList();
        Assert.NotEmpty(responses);
        Assert.All(responses, r => Assert.Equal("Cleveland Police", r[1]));
        Assert.DoesNotContain(responses, r => r.Any(c => c.Contains("school")));
        var moderation = Spreadsheets.ReadSheet(path, "Moderation");
        Assert.DoesNotContain("Schools", string.Join("|", moderation[0]));
        var agencies = Spreadsheets.ReadSheet(path, "Agencies");
        Assert.Contains("Schools", agencies[0]);
        Assert.Contains(Spreadsheets.ReadSheet(path, "Summary"), r => r.Count > 2 && r[2] == "Cleveland Police only");
    }

    [Fact]
    public async Task Export_IsRefusedToExecutivesAuditors_AndToManagersBeforePublication_AndIsLogged()
    {
        using var s = await ScenarioAsync(cases: 1);
        var export = s.Db.Get<ExportService>();

        await Assert.ThrowsAsync<AccessDeniedException>(() => export.ExportXlsxAsync(s.Executive, s.AuditId, new MemoryStream()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => export.ExportXlsxAsync(s.PoliceAuditor, s.AuditId, new MemoryStream()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => export.ExportXlsxAsync(s.PoliceManager, s.AuditId, new MemoryStream()));
        await export.ExportXlsxAsync(s.Scrutineer, s.AuditId, new MemoryStream());

        var log = await s.Db.Get<AuditTool.Domain.Logging.IAuditLog>().GetLatestAsync(10);
        Assert.Contains(log, e => e.Action == "export" && e.UserName == "scrutineer" && e.NewValues!.StartsWith("xlsx"));
    }
}

public sealed class ExcelExportTestsOnSqlite() : ExcelExportTests(DatabaseEngine.Sqlite);

public sealed class ExcelExportTestsOnPostgres() : ExcelExportTests(DatabaseEngine.Postgres);
