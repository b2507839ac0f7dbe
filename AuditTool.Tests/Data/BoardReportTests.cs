using System.Text;
using System.Text.Json.Nodes;
using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace AuditTool.Tests.Data;

/// <summary>Evidence quotes on findings, the Word report and the trends across published audits.</summary>
public abstract class BoardReportTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Quote = "The child told us school was the one safe place; nobody asked what happened at home.";

    /// <summary>
    /// Five cases; police answers seen alone "yes" on four and "no" on one (80%), overall good, with an evidence note on
    /// each; education "no" and requires improvement. A strength linked to seen-alone with a quote, an action, published.
    /// </summary>
    private async Task<(AuditScenario S, long FindingId)> PublishedAsync(bool publish = true)
    {
        var s = await ScenarioAsync(cases: 5);
        for (var i = 1; i <= 5; i++)
        {
            var police = await s.ReturnIdAsync($"C-{i:000}", s.PoliceId);
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", i == 5 ? "no" : "yes");
            if (i != 5)
            {
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
            }

            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
            await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", $"Evidence note for C-{i:000}: seen at school");
            Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
            var education = await s.ReturnIdAsync($"C-{i:000}", s.EducationId);
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "requires-improvement");
            Assert.True((await s.Returns.SubmitAsync(s.EducationAuditor, education)).Submitted);
        }

        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var findings = s.Db.Get<FindingsService>();
        var findingId = await findings.AddFindingAsync(s.Scrutineer, s.AuditId,
            new FindingInput(FindingKinds.Strength, "Police saw children alone", "Police officers saw and spoke to the child alone.", ["seen-alone"], ["voice-of-child"]));
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId,
            new FindingInput(FindingKinds.Development, "Schools' judgements", "Schools graded their practice below good.", ["overall"], []));
        var source = (await findings.GetQuoteSourcesAsync(s.Scrutineer, s.AuditId, findingId)).First();
        await findings.AddQuoteAsync(s.Scrutineer, s.AuditId, findingId, Quote, source.ReturnId, source.QuestionKey);
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Schools to record the child's own words", s.EducationId,
            new DateOnly(2027, 3, 31), ActionStatuses.Open, findingId), confirmPastDate: true); // a fixed date the calendar overtakes
        if (publish)
        {
            await findings.PublishAsync(s.Scrutineer, s.AuditId);
        }

        return (s, findingId);
    }

    [Fact]
    public async Task QuoteSources_AreTheLinkedQuestionsEvidence_AndTheEditedQuoteIsWhatTheReportShows()
    {
        var (s, findingId) = await PublishedAsync(publish: false);
        using var _ = s;
        var findings = s.Db.Get<FindingsService>();

        var sources = await findings.GetQuoteSourcesAsync(s.Scrutineer, s.AuditId, findingId);
        var tooLong = await Assert.ThrowsAsync<DomainValidationException>(() =>
            findings.AddQuoteAsync(s.Scrutineer, s.AuditId, findingId, new string('x', FindingsService.MaxQuoteLength + 1)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => findings.GetQuoteSourcesAsync(s.Executive, s.AuditId, findingId));
        var report = await s.Db.Get<ReportService>().GetAsync(s.Scrutineer, s.AuditId);

        Assert.Equal(5, sources.Count);
        Assert.All(sources, q => Assert.Equal("seen-alone", q.QuestionKey));
        Assert.Contains("at most 600", tooLong.Message);
        Assert.Equal([Quote], report.Strengths.Single().Quotes);
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        await Assert.ThrowsAsync<DomainValidationException>(() => findings.AddQuoteAsync(s.Scrutineer, s.AuditId, findingId, "Too late"));
    }

    [Fact]
    public async Task WordReport_HasTheFiguresFindingsQuotesChartsAndActions_AndNothingOfACase()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var file = Path.Combine(s.Db.Folder, "report.docx");

        string name;
        await using (var stream = File.Create(file))
        {
            name = await s.Db.Get<ReportDocumentService>().ExportAsync(s.Executive, s.AuditId, stream);
        }

        using var document = WordprocessingDocument.Open(file, false);
        var body = document.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Descendants<W.Paragraph>().Select(p => p.InnerText).ToList();
        var text = string.Join("\n", paragraphs);
        var images = body.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>().ToList();

        Assert.EndsWith(".docx", name);
        Assert.Equal("Escalation audit", paragraphs[0]);
        Assert.Contains("10 of 10", text); // agency returns submitted
        Assert.Contains("Police saw children alone", text);
        Assert.Contains("A question?: 40% positive", text); // seen-alone: 4 of 10 counted answers positive
        Assert.Contains("Schools' judgements", text);
        Assert.Contains($"“{Quote}”", text);
        Assert.Contains("Schools to record the child's own words", text);
        Assert.Contains("31 Mar 2027", text);
        Assert.True(images.Count >= 2, $"{images.Count} images");
        Assert.All(images, i => Assert.False(string.IsNullOrWhiteSpace(i.Description?.Value), "an image without alt text"));
        Assert.DoesNotContain("C-00", text + string.Join("", images.Select(i => i.Description?.Value)));
        Assert.DoesNotContain("Evidence note for", text);

        var pdf = LibreOffice.Convert(file, "pdf");
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(File.ReadAllBytes(pdf)[..4]));
    }

    [Fact]
    public async Task WordReport_OfAnAuditNotPublished_IsRefused_EvenToTheScrutineer()
    {
        var (s, _) = await PublishedAsync(publish: false);
        using var _1 = s;

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            s.Db.Get<ReportDocumentService>().ExportAsync(s.Scrutineer, s.AuditId, new MemoryStream()));

        Assert.Contains("published audits only", ex.Message);
    }

    [Fact]
    public async Task Trends_OfThreePublishedAudits_AreEachAuditsOwnFigures_InOrder()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var packages = s.Db.Get<AuditPackageService>();
        var stream = new MemoryStream();
        await packages.ExportAsync(s.Scrutineer, s.AuditId, stream);
        var package = Encoding.UTF8.GetString(stream.ToArray());
        var ids = new List<long> { s.AuditId };
        foreach (var (title, yes) in new[] { ("Second round", 2), ("Third round", 5) })
        {
            var doc = JsonNode.Parse(package)!;
            doc["audit"]!["title"] = title;
            var police = doc["returns"]!.AsArray().Where(r => (string?)r!["agency"] == "police").ToList();
            for (var i = 0; i < police.Count; i++)
            {
                var answers = police[i]!["answers"]!.AsObject();
                answers["seen-alone"] = i < yes ? "yes" : "no";
                answers.Remove("voice"); // asked only after a "yes"
                if (i < yes)
                {
                    answers["voice"] = "yes";
                }
            }

            ids.Add(await packages.ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(doc.ToJsonString())), $"{title}.json"));
        }

        var trends = await s.Db.Get<TrendsService>().GetAsync(s.Executive);

        Assert.Equal(3, trends.PublishedAudits);
        var seenAlone = trends.Questions.Single(q => q.Key == "seen-alone");
        Assert.Equal(ids, seenAlone.Points.Select(p => p.AuditId));
        Assert.Equal([0.4, 0.2, 0.5], seenAlone.Points.Select(p => Math.Round(p.Rate!.Value, 6)));
        var theme = trends.Themes.Single(t => t.Key == "voice-of-child");
        var figures = s.Db.Get<FiguresService>();
        for (var i = 0; i < ids.Count; i++)
        {
            var f = (await figures.GetAsync(s.Scrutineer, ids[i])).Figures;
            Assert.Equal(f.Themes.Single(t => t.Theme == "voice-of-child").Rate, theme.Points[i].Rate);
            Assert.Equal(f.Questions.Single(q => q.Key == "seen-alone").Counted, (int)seenAlone.Points[i].Counted);
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<TrendsService>().GetAsync(s.PoliceAuditor));
    }
}

public sealed class BoardReportTestsOnSqlite() : BoardReportTests(DatabaseEngine.Sqlite);

public sealed class BoardReportTestsOnPostgres() : BoardReportTests(DatabaseEngine.Postgres);
