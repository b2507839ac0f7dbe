using System.Text;
using System.Text.Json.Nodes;
using AuditTool.Data;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Sampling;
using AuditTool.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace AuditTool.Tests.Data;

/// <summary>
/// The sample criteria in words are the scrutineer's: drawing a sample never overwrites them. The machine filter the
/// draw used is recorded beside them and shown beside them in the report, the Word report, the Excel summary and the
/// audit package.
/// </summary>
public abstract class SampleRecordTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Cohort = """
        Case ref,Locality,Plan type
        S-101,Hartlepool,CP
        S-102,Stockton,CIN
        S-103,Stockton,CP
        S-104,Hartlepool,CP
        S-105,Stockton,Early Help
        """;

    /// <summary>The scenario's words for its sample (AuditScenario's plan).</summary>
    private const string Words = "All cases";

    private const string Draw = "Plan type equals \"CP\", 2 of 5 cases, seed 20261122";

    private static readonly SampleCriteria OnAProtectionPlan = new([new CriteriaGroup([new Criterion("Plan type", CriterionOperator.Equals, ["CP"])])]);

    private async Task<AuditScenario> DrawnAsync()
    {
        var s = await ScenarioAsync(cases: 0, open: false);
        await s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, Cohort, "Case ref", "cohort.csv");
        await s.Planning.DrawSampleAsync(s.Scrutineer, s.AuditId, OnAProtectionPlan, 2, 20261122);
        return s;
    }

    [Fact]
    public async Task DrawingASample_KeepsTheScrutineersWords_AndTheReportShowsTheFilterBesideThem()
    {
        using var s = await DrawnAsync();

        var audit = (await s.Planning.GetAsync(s.Scrutineer, s.AuditId)).Audit;
        var again = await s.Planning.DrawSampleAsync(s.Scrutineer, s.AuditId, OnAProtectionPlan, 2, 20261122);
        var report = await s.Db.Get<ReportService>().GetAsync(s.Scrutineer, s.AuditId);

        Assert.Equal(Words, audit.SampleCriteriaText);
        Assert.Equal(CriteriaRules.ToJson(OnAProtectionPlan), audit.SampleCriteriaJson);
        Assert.Equal(Draw, audit.DescribeDraw());
        Assert.Equal("Plan type equals \"CP\"", again.Criteria);
        Assert.Equal(Words, report.SampleCriteria);
        Assert.Equal(Draw, report.SampleDraw);
    }

    [Fact]
    public async Task BeforeADraw_ThereIsNoFilterToShow_EvenWithACohortImported()
    {
        using var s = await ScenarioAsync(cases: 1, open: false);
        await s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, Cohort, "Case ref", "cohort.csv");

        var report = await s.Db.Get<ReportService>().GetAsync(s.Scrutineer, s.AuditId);

        Assert.Equal(Words, report.SampleCriteria);
        Assert.Null(report.SampleDraw);
    }

    [Fact]
    public async Task TheWordReport_AndTheExcelSummary_ShowTheWordsAndTheFilter()
    {
        using var s = await DrawnAsync();
        await s.Planning.OpenAsync(s.Scrutineer, s.AuditId, confirmPastDate: true);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var findings = s.Db.Get<FindingsService>();
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Development, "Plans", "Plans were not reviewed.", [], []));
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        var docx = Path.Combine(s.Db.Folder, "report.docx");
        var xlsx = Path.Combine(s.Db.Folder, "export.xlsx");

        await using (var stream = File.Create(docx))
        {
            await s.Db.Get<ReportDocumentService>().ExportAsync(s.Executive, s.AuditId, stream);
        }

        await using (var stream = File.Create(xlsx))
        {
            await s.Db.Get<ExportService>().ExportXlsxAsync(s.Scrutineer, s.AuditId, stream);
        }

        using var document = WordprocessingDocument.Open(docx, false);
        var paragraphs = document.MainDocumentPart!.Document.Body!.Descendants<W.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains($"Sample criteria: {Words}", paragraphs);
        Assert.Contains($"Filter used for the draw: {Draw}", paragraphs);
        var summary = Spreadsheets.ReadSheet(xlsx, "Summary");
        Assert.Contains(summary, r => r.SequenceEqual(["Audit", "Sample criteria", Words]));
        Assert.Contains(summary, r => r.SequenceEqual(["Audit", "Filter used for the draw", Draw]));
    }

    [Fact]
    public async Task TheAuditPackage_CarriesTheWordsAndTheFilter_AndAnImportShowsBoth()
    {
        using var s = await DrawnAsync();
        var packages = s.Db.Get<AuditPackageService>();
        var stream = new MemoryStream();
        await packages.ExportAsync(s.Scrutineer, s.AuditId, stream);
        var package = JsonNode.Parse(Encoding.UTF8.GetString(stream.ToArray()))!;
        package["audit"]!["title"] = "Imported copy";

        var id = await packages.ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(package.ToJsonString())), "copy.json");
        var imported = (await s.Planning.GetAsync(s.Scrutineer, id)).Audit;

        Assert.Equal(Words, (string?)package["audit"]!["sampleCriteria"]);
        Assert.Equal("equals", (string?)package["audit"]!["sampleCriteriaRules"]!["allOf"]![0]!["anyOf"]![0]!["operator"]);
        Assert.Equal(Words, imported.SampleCriteriaText);
        Assert.Equal(Draw, imported.DescribeDraw());
    }
}

public sealed class SampleRecordTestsOnSqlite() : SampleRecordTests(DatabaseEngine.Sqlite);

public sealed class SampleRecordTestsOnPostgres() : SampleRecordTests(DatabaseEngine.Postgres);
