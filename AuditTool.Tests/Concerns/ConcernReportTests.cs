using System.Text;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace AuditTool.Tests.Concerns;

/// <summary>
/// Concerns in the outputs: the report, the Word report and the Excel summary give the number of cases escalated and
/// how many were closed with an action recorded, never a description; the audit package carries the concerns and an
/// import gives the same package back.
/// C-001: one concern, closed with an action. C-002: two concerns, one closed with an action, one closed without.
/// C-003: one concern, still open. So 3 cases escalated, 1 closed with an action recorded.
/// </summary>
public abstract class ConcernReportTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Secret = "Bittern-marked injury";

    private async Task<AuditScenario> WithConcernsAsync(bool publish)
    {
        var s = await ScenarioAsync(cases: 3);
        await s.Db.Get<UserAdminService>().SetSafeguardingLeadAsync(s.Administrator, s.PoliceManager.UserId, true);
        var concerns = s.Db.Get<ConcernService>();
        var cases = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).ToDictionary(c => c.Ref, c => c.Id);

        async Task<long> RaiseAsync(string caseRef, string n) =>
            await concerns.RaiseAsync(s.PoliceAuditor, s.AuditId, cases[caseRef], $"{Secret} {n}", $"Sandpiper team {n}");

        async Task CloseAsync(long id, bool withAction)
        {
            await concerns.AcknowledgeAsync(s.PoliceManager, id);
            if (withAction)
            {
                await concerns.RecordActionAsync(s.PoliceManager, id, "Curlew referral made");
            }

            await concerns.CloseAsync(s.Scrutineer, id);
        }

        await CloseAsync(await RaiseAsync("C-001", "one"), withAction: true);
        await CloseAsync(await RaiseAsync("C-002", "two"), withAction: true);
        await CloseAsync(await RaiseAsync("C-002", "three"), withAction: false);
        await concerns.AcknowledgeAsync(s.PoliceManager, await RaiseAsync("C-003", "four"));
        if (publish)
        {
            await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
            var findings = s.Db.Get<FindingsService>();
            await findings.AddFindingAsync(s.Scrutineer, s.AuditId,
                new FindingInput(FindingKinds.Development, "Escalation", "Concerns were escalated at once.", [], []));
            await findings.PublishAsync(s.Scrutineer, s.AuditId);
        }

        return s;
    }

    [Fact]
    public async Task TheReportAndTheWordReport_CountCasesEscalatedAndClosedWithAnAction_WithoutDescriptions()
    {
        using var s = await WithConcernsAsync(publish: true);

        var asExecutive = await s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId);
        Assert.Equal((3, 1), (asExecutive.Concerns.CasesEscalated, asExecutive.Concerns.CasesClosedWithAction));
        Assert.Equal(new ConcernFigures(3, 1, 1, 0), await s.Db.Get<ConcernService>().GetFiguresAsync(s.Executive, s.AuditId));

        var word = new MemoryStream();
        await s.Db.Get<ReportDocumentService>().ExportAsync(s.Executive, s.AuditId, word);
        word.Position = 0;
        using var document = WordprocessingDocument.Open(word, false);
        var rows = document.MainDocumentPart!.Document.Body!.Descendants<W.TableRow>()
            .Select(r => r.Elements<W.TableCell>().Select(c => c.InnerText).ToArray()).ToList();
        Assert.Contains(rows, r => r is ["Cases escalated (a safeguarding concern raised)", "3"]);
        Assert.Contains(rows, r => r is ["Escalated cases closed with an action recorded", "1"]);
        var text = document.MainDocumentPart.Document.Body.InnerText;
        Assert.DoesNotContain("Bittern", text);
        Assert.DoesNotContain("Sandpiper", text);
        Assert.DoesNotContain("Curlew", text);
    }

    [Fact]
    public async Task TheExcelSummary_CountsCasesEscalatedAndClosedWithAnAction_AndNoSheetCarriesADescription()
    {
        using var s = await WithConcernsAsync(publish: false);
        var path = Path.Combine(s.Db.Folder, "audit.xlsx");
        await using (var file = File.Create(path))
        {
            await s.Db.Get<ExportService>().ExportXlsxAsync(s.Scrutineer, s.AuditId, file);
        }

        var summary = Spreadsheets.ReadSheet(path, "Summary");
        Assert.Contains(summary, r => r.Count >= 3 && r[0] == "Impact" && r[1] == "Cases escalated (a safeguarding concern raised)" && r[2] == "3");
        Assert.Contains(summary, r => r.Count >= 3 && r[0] == "Impact" && r[1] == "Escalated cases closed with an action recorded" && r[2] == "1");
        foreach (var sheet in new[] { "Summary", "Questions", "Agencies", "Themes", "Responses", "Moderation", "Reliability", "Actions" })
        {
            var xml = Spreadsheets.SheetXml(path, sheet);
            Assert.DoesNotContain("Bittern", xml);
            Assert.DoesNotContain("Curlew", xml);
        }
    }

    [Fact]
    public async Task TheAuditPackage_CarriesTheConcerns_AndAnImportExportsTheSamePackage()
    {
        using var s = await WithConcernsAsync(publish: false);
        var first = await ExportAsync(s.Db, s.AuditId);
        Assert.Contains("\"concerns\"", first);
        Assert.Contains($"{Secret} three", first);

        using var empty = NewDatabase();
        var copy = await empty.Get<AuditPackageService>().ImportAsync(AuditTool.Domain.Security.Actor.System, new MemoryStream(Encoding.UTF8.GetBytes(first)), "concerns.json");
        var again = await ExportAsync(empty, copy);

        Assert.Equal(first, again);
        var imported = await empty.Get<IConcernRepository>().GetManyAsync(copy);
        Assert.Equal(4, imported.Count);
        Assert.Equal(new ConcernFigures(3, 1, 1, 0), ConcernFigures.From(imported));
        Assert.All(imported, c => Assert.Equal("police.auditor", c.RaisedByName));
    }

    [Fact]
    public async Task APackageWithABadConcern_IsRefused_NamingThePath()
    {
        using var s = await WithConcernsAsync(publish: false);
        var json = (await ExportAsync(s.Db, s.AuditId)).Replace("\"state\": \"closed\"", "\"state\": \"forgotten\"").Replace("\"state\":\"closed\"", "\"state\":\"forgotten\"");
        using var empty = NewDatabase();

        var refused = await Assert.ThrowsAsync<AuditPackageException>(() =>
            empty.Get<AuditPackageService>().ImportAsync(AuditTool.Domain.Security.Actor.System, new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));

        Assert.Contains(refused.Problems, p => p.StartsWith("$.concerns[0].state", StringComparison.Ordinal));
    }

    private static async Task<string> ExportAsync(TestDatabase db, long auditId)
    {
        var output = new MemoryStream();
        await db.Get<AuditPackageService>().ExportAsync(AuditTool.Domain.Security.Actor.System, auditId, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}

public sealed class ConcernReportTestsOnSqlite() : ConcernReportTests(DatabaseEngine.Sqlite);

public sealed class ConcernReportTestsOnPostgres() : ConcernReportTests(DatabaseEngine.Postgres);
