using System.Globalization;
using System.Text;
using System.Text.Json;
using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

/// <summary>
/// The reliability of grades through the real services on a real database (both engines): the figures from an imported
/// audit with moderation, the report by role, the Excel "Reliability" sheet, the package's figures and the threshold.
/// </summary>
public abstract class ReliabilityServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static async Task<long> ImportAsync(TestDatabase db, string json) =>
        await db.Get<AuditPackageService>().ImportAsync(Actor.System, new MemoryStream(Encoding.UTF8.GetBytes(json)), "reliability.json");

    private static async Task<string> ExportPackageAsync(TestDatabase db, long auditId)
    {
        using var stream = new MemoryStream();
        await db.Get<AuditPackageService>().ExportAsync(Actor.System, auditId, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task<Dictionary<string, long>> AgencyIdsAsync(TestDatabase db) =>
        (await db.Get<IAgencyRepository>().GetAllAsync()).ToDictionary(a => a.Key, a => a.Id);

    [Fact]
    public async Task Figures_OfAnAuditWithModeration_FollowTheDefinitions()
    {
        using var db = NewDatabase();
        var auditId = await ImportAsync(db, ReliabilityPackage.Json("Reliability figures"));
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var ids = await AgencyIdsAsync(db);

        var plain = await db.Get<FiguresService>().GetAsync(scrutineer, auditId);
        var view = await db.Get<FiguresService>().GetAsync(scrutineer, auditId, reliability: true);

        Assert.Null(plain.Figures.Reliability);
        var reliability = view.Figures.Reliability!;
        // Graded questions only, in template order: the choice "lead" has scores but is not a scale.
        Assert.Equal(["seen-alone", "overall", "attendance"], reliability.Select(q => q.QuestionKey));
        var overall = reliability.Single(q => q.QuestionKey == "overall");
        Assert.Equal(["Outstanding", "Good", "Requires improvement", "Inadequate"], overall.Categories.Select(c => c.Label));

        // Alpha: eight cases with a police and an education grade; health submitted nothing.
        Assert.Equal(8, overall.Alpha.Units);
        Assert.Equal(ReliabilityState.Figure, overall.Alpha.State);
        Assert.Equal(ReliabilityPackage.OverallAlpha(), overall.Alpha.Value!.Value, 12);
        Assert.True(overall.Alpha.Low <= overall.Alpha.Value && overall.Alpha.Value <= overall.Alpha.High);
        Assert.True(overall.Alpha.Flagged, $"alpha {overall.Alpha.Value} is below the audit's 0.9");

        // Kappa: every counted grade against the moderated grade of its case; per agency and pooled.
        var police = ReliabilityPackage.PolicePairs();
        var education = ReliabilityPackage.EducationPairs();
        Assert.Equal(16, overall.Kappa.Units);
        Assert.Equal(Reliability.QuadraticKappa([.. police, .. education], 4)!.Value, overall.Kappa.Value!.Value, 12);
        var byAgency = overall.KappaByAgency.ToDictionary(k => k.AgencyId, k => k.Kappa);
        Assert.Equal(Reliability.QuadraticKappa(police, 4)!.Value, byAgency[ids["police"]].Value!.Value, 12);
        Assert.Equal(Reliability.QuadraticKappa(education, 4)!.Value, byAgency[ids["education"]].Value!.Value, 12);
        Assert.Equal(new ReliabilityFigure(0, ReliabilityState.TooFew, null, null, null, false), byAgency[ids["health"]]);

        // The confusion tables: rows the agency's grade, columns the moderated grade.
        var policeTable = overall.Confusion.Single(c => c.AgencyId == ids["police"]);
        Assert.Equal(Reliability.Confusion(police, 4), policeTable.Counts);
        Assert.Equal(2, policeTable.Counts[1][1]); // good, moderated good: RL-001 and RL-002
        Assert.DoesNotContain(overall.Confusion, c => c.AgencyId == ids["health"]);

        // "seen-alone": every counted answer "yes" (RL-008's police "na" leaves that case one answer): no variation.
        var seen = reliability.Single(q => q.QuestionKey == "seen-alone");
        Assert.Equal(new ReliabilityFigure(7, ReliabilityState.NoVariation, null, null, null, false), seen.Alpha);
        Assert.Equal(new ReliabilityFigure(4, ReliabilityState.TooFew, null, null, null, false), seen.Kappa); // RL-001 and RL-002, two agencies each
        // "attendance": one agency is asked, so no case has two grades.
        Assert.Equal(new ReliabilityFigure(0, ReliabilityState.TooFew, null, null, null, false), reliability.Single(q => q.QuestionKey == "attendance").Alpha);
    }

    [Fact]
    public async Task Figures_AreTheSameOnEveryComputation_AndFlaggedAgainstTheAuditsOwnThreshold()
    {
        using var db = NewDatabase();
        var strict = await ImportAsync(db, ReliabilityPackage.Json("Strict threshold", reliabilityThreshold: 0.9));
        var lenient = await ImportAsync(db, ReliabilityPackage.Json("Default threshold", reliabilityThreshold: null));
        var figures = db.Get<FiguresService>();

        var first = (await figures.GetAsync(Actor.System, strict, reliability: true)).Figures.Reliability!;
        var again = (await figures.GetAsync(Actor.System, strict, reliability: true)).Figures.Reliability!;
        var other = (await figures.GetAsync(Actor.System, lenient, reliability: true)).Figures.Reliability!;

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(again));
        Assert.Equal(0.67, (await db.Get<IAuditRepository>().GetByIdAsync(lenient))!.Thresholds.Reliability);
        var alpha = first.Single(q => q.QuestionKey == "overall").Alpha;
        Assert.InRange(alpha.Value!.Value, 0.67, 0.9);
        Assert.True(alpha.Flagged);
        Assert.Equal(alpha with { Flagged = false }, other.Single(q => q.QuestionKey == "overall").Alpha);
    }

    [Fact]
    public async Task Report_CarriesReliability_ForScrutineersAndManagers_NotForExecutives()
    {
        using var db = NewDatabase();
        var auditId = await ImportAsync(db, ReliabilityPackage.Json("Published reliability", status: AuditStatuses.Published));
        var ids = await AgencyIdsAsync(db);
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var manager = await db.CreateUserAsync("police.manager", Role.Manager, ids["police"]);
        var executive = await db.CreateUserAsync("executive", Role.Executive);
        var reports = db.Get<ReportService>();

        var forScrutineer = await reports.GetAsync(scrutineer, auditId);
        var forManager = await reports.GetAsync(manager, auditId);
        var forExecutive = await reports.GetAsync(executive, auditId);

        Assert.Null(forExecutive.Reliability);
        Assert.NotNull(forScrutineer.Reliability);
        Assert.Equal(forScrutineer.Reliability, forManager.Reliability);
        // Per graded question: alpha, kappa for all agencies, then each agency's kappa, by name; no confusion table.
        var overall = forManager.Reliability!.Where(r => r.QuestionKey == "overall").ToList();
        Assert.Equal([ReliabilityMeasures.Alpha, ReliabilityMeasures.Kappa, ReliabilityMeasures.Kappa, ReliabilityMeasures.Kappa, ReliabilityMeasures.Kappa],
            overall.Select(r => r.Measure));
        Assert.Equal(["All agencies", "All agencies"], overall.Take(2).Select(r => r.Agency));
        Assert.Equal(["Cleveland Police", "Health Services", "Schools and Education Services"], overall.Skip(2).Select(r => r.Agency).Order());
        Assert.Equal(ReliabilityPackage.OverallAlpha(), overall[0].Figure.Value!.Value, 12);
        Assert.Equal(0.9, forManager.ReliabilityThreshold);
    }

    [Fact]
    public async Task ExcelReliabilitySheet_HasTheColumnsOfTheProduct_ARowPerFigure_NumbersAsNumbers()
    {
        using var db = NewDatabase();
        var auditId = await ImportAsync(db, ReliabilityPackage.Json("Excel reliability"));
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var path = Path.Combine(db.Folder, "reliability.xlsx");
        await using (var file = File.Create(path))
        {
            await db.Get<ExportService>().ExportXlsxAsync(scrutineer, auditId, file);
        }

        var figures = (await db.Get<FiguresService>().GetAsync(scrutineer, auditId, reliability: true)).Figures.Reliability!;
        var rows = Spreadsheets.ReadSheet(path, "Reliability");
        var xml = Spreadsheets.SheetXml(path, "Reliability");

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        Assert.Equal(["Question key", "Measure", "Agency", "Units", "Value", "95% CI low", "95% CI high"], rows[0]);
        Assert.Equal(3 * 5, rows.Count - 1); // three graded questions x (alpha, kappa all, three agencies)
        Assert.Contains("state=\"frozen\"", xml);
        Assert.Contains("autoFilter ref=\"A1:G16\"", xml);
        var alpha = rows.Single(r => r[0] == "overall" && r[1] == "Krippendorff's alpha (ordinal)");
        var overall = figures.Single(q => q.QuestionKey == "overall");
        Assert.Equal("all", alpha[2]);
        Assert.Equal("8", alpha[3]);
        Assert.Equal(overall.Alpha.Value!.Value, double.Parse(alpha[4], CultureInfo.InvariantCulture), 12);
        Assert.Equal(overall.Alpha.Low!.Value, double.Parse(alpha[5], CultureInfo.InvariantCulture), 12);
        Assert.Equal(overall.Alpha.High!.Value, double.Parse(alpha[6], CultureInfo.InvariantCulture), 12);
        var policeKappa = rows.Single(r => r[0] == "overall" && r[1] == "Weighted kappa (quadratic) vs moderation" && r[2] == "police");
        Assert.Equal("8", policeKappa[3]);
        // Not defined: the units are given, the three number cells are empty.
        var health = rows.Single(r => r[0] == "overall" && r[2] == "health");
        Assert.Equal(["overall", "Weighted kappa (quadratic) vs moderation", "health", "0", "", "", ""], health);
        var noVariation = rows.Single(r => r[0] == "seen-alone" && r[1] == "Krippendorff's alpha (ordinal)");
        Assert.Equal(["seen-alone", "Krippendorff's alpha (ordinal)", "all", "7", "", "", ""], noVariation);
        // Numbers as numbers (a value element, no inline string) in the three-decimal style.
        var valueCell = $"<c s=\"8\"><v>{overall.Alpha.Value.Value.ToString("R", CultureInfo.InvariantCulture)}</v></c>";
        Assert.Contains(valueCell, xml);
        var summary = Spreadsheets.ReadSheet(path, "Summary");
        Assert.Contains(summary, r => r.Count == 3 && r[1] == "Reliability flagged below" && r[2] == "0.9");
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, false);
        Assert.Equal(["Summary", "Questions", "Agencies", "Themes", "Responses", "Moderation", "Reliability", "Actions"],
            document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(x => x.Name!.Value));
        var styles = document.WorkbookPart.WorkbookStylesPart!.Stylesheet;
        var style = styles.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ElementAt(8);
        Assert.Equal("0.000", styles.NumberingFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.NumberingFormat>()
            .Single(f => f.NumberFormatId!.Value == style.NumberFormatId!.Value).FormatCode!.Value);

        // LibreOffice reads the same sheet: text as written, numbers as the same numbers.
        var libre = Spreadsheets.ReadWithLibreOffice(path)["Reliability"];
        Assert.Equal(rows.Count, libre.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Count; c++)
            {
                if (r > 0 && c >= 4 && rows[r][c].Length > 0)
                {
                    Assert.Equal(double.Parse(rows[r][c], CultureInfo.InvariantCulture), double.Parse(libre[r][c], CultureInfo.InvariantCulture), 9);
                }
                else
                {
                    Assert.Equal(rows[r][c], libre[r][c]);
                }
            }
        }
    }

    [Fact]
    public async Task Package_CarriesTheReliabilityFigures_AndExportsTheSameAfterAnImportElsewhere()
    {
        using var db = NewDatabase();
        var auditId = await ImportAsync(db, ReliabilityPackage.Json("Package reliability"));
        var figures = (await db.Get<FiguresService>().GetAsync(Actor.System, auditId, reliability: true)).Figures.Reliability!;

        var first = await ExportPackageAsync(db, auditId);
        using var empty = NewDatabase();
        var copy = await ImportAsync(empty, first);
        var again = await ExportPackageAsync(empty, copy);

        Assert.Equal(first, again);
        using var document = JsonDocument.Parse(first);
        Assert.Equal(0.9, document.RootElement.GetProperty("audit").GetProperty("thresholds").GetProperty("reliability").GetDouble());
        var entries = document.RootElement.GetProperty("figures").GetProperty("reliability").EnumerateArray().ToList();
        Assert.Equal(15, entries.Count);
        var alpha = entries.First();
        Assert.Equal("seen-alone", alpha.GetProperty("question").GetString());
        Assert.Equal(PackageMeasures.Alpha, alpha.GetProperty("measure").GetString());
        Assert.Equal("no-variation", alpha.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("value").ValueKind);
        var overall = entries.Single(e => e.GetProperty("question").GetString() == "overall" && e.GetProperty("measure").GetString() == PackageMeasures.Alpha);
        var computed = figures.Single(q => q.QuestionKey == "overall").Alpha;
        Assert.Equal("all", overall.GetProperty("agency").GetString());
        Assert.Equal(8, overall.GetProperty("units").GetInt32());
        Assert.Equal(Math.Round(computed.Value!.Value, 6), overall.GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(computed.Low!.Value, 6), overall.GetProperty("ciLow").GetDouble());
        Assert.Equal(Math.Round(computed.High!.Value, 6), overall.GetProperty("ciHigh").GetDouble());
        Assert.True(overall.GetProperty("flagged").GetBoolean());
        // Per agency by key, in key order.
        Assert.Equal(["all", "education", "health", "police"], entries
            .Where(e => e.GetProperty("question").GetString() == "overall" && e.GetProperty("measure").GetString() == PackageMeasures.Kappa)
            .Select(e => e.GetProperty("agency").GetString()));
    }

    [Fact]
    public async Task PackageFigures_AreNotRead_ButMustBeAnObject()
    {
        using var db = NewDatabase();

        // Figures that disagree with the returns are recomputed, not believed.
        var id = await ImportAsync(db, ReliabilityPackage.Json("Stale figures", figures: """{ "reliability": [ { "question": "overall", "value": 0.1 } ] }"""));
        var ex = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(db, ReliabilityPackage.Json("Bad figures", figures: "\"high\"")));
        var list = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(db, ReliabilityPackage.Json("Bad rows", figures: """{ "reliability": 3 }""")));

        var alpha = (await db.Get<FiguresService>().GetAsync(Actor.System, id, reliability: true)).Figures.Reliability!.Single(q => q.QuestionKey == "overall").Alpha;
        Assert.Equal(ReliabilityPackage.OverallAlpha(), alpha.Value!.Value, 12);
        Assert.Equal(["$.figures: expected an object."], ex.Problems);
        Assert.Equal(["$.figures.reliability: expected a list."], list.Problems);
        Assert.Single(await db.Get<IAuditRepository>().GetManyAsync());
    }

    [Fact]
    public async Task ReliabilityThreshold_IsStoredWithThePlan_AndMustBeAShare()
    {
        using var s = await ScenarioAsync(cases: 1, open: false);
        var plan = new AuditPlan("Threshold audit", AuditKinds.MultiAgency, "Purpose", "All", AuditScenario.Deadline, Thresholds.Default with { Reliability = 0.8 });

        var id = await s.Planning.CreateAsync(s.Scrutineer, plan, s.TemplateVersionId, [s.PoliceId], confirmPastDate: true);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            s.Planning.CreateAsync(s.Scrutineer, plan with { Title = "Too strict", Thresholds = Thresholds.Default with { Reliability = 1.5 } },
                s.TemplateVersionId, [s.PoliceId], confirmPastDate: true));

        Assert.Equal(0.8, (await s.Db.Get<IAuditRepository>().GetByIdAsync(id))!.Thresholds.Reliability);
        Assert.Equal(0.67, (await s.Db.Get<IAuditRepository>().GetByIdAsync(s.AuditId))!.Thresholds.Reliability);
        Assert.Contains("The reliability threshold is a share between 0 and 1", refused.Message);
    }
}

public sealed class ReliabilityServiceTestsOnSqlite() : ReliabilityServiceTests(DatabaseEngine.Sqlite);

public sealed class ReliabilityServiceTestsOnPostgres() : ReliabilityServiceTests(DatabaseEngine.Postgres);
