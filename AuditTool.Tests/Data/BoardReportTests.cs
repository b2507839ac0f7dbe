using System.Text;
using System.Text.Json.Nodes;
using AuditTool.Data;
using AuditTool.Documents.Word;
using Dapper;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
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
    /// each; education "no" and requires improvement. Partners consulted (several per answer): police and school on
    /// three police returns, police and none on one, none on one; school and none on three education returns, none on
    /// two: Police 4, School 6, None 7 of 10 (170% in all). A strength linked to seen-alone with a quote, an action,
    /// published.
    /// </summary>
    /// <summary>The scenario's audit as an exported package (JSON), to edit and import again as another audit.</summary>
    private static async Task<string> PackageAsync(AuditScenario s)
    {
        var stream = new MemoryStream();
        await s.Db.Get<AuditPackageService>().ExportAsync(s.Scrutineer, s.AuditId, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Task<long> ImportAsync(AuditScenario s, JsonNode package, string fileName) =>
        s.Db.Get<AuditPackageService>().ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(package.ToJsonString())), fileName);

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
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "partners",
                i <= 3 ? new List<string> { "police", "school" } : i == 4 ? ["police", "none"] : ["none"]);
            await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", $"Evidence note for C-{i:000}: seen at school");
            Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
            var education = await s.ReturnIdAsync($"C-{i:000}", s.EducationId);
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "requires-improvement");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "partners", i <= 3 ? new List<string> { "school", "none" } : ["none"]);
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
    public async Task WordReport_MultichoiceChart_IsABarPerOption_WhoseAltTextAndTableAgreeWithTheFigures_AndNoChartIsCutAtItsEdge()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var file = Path.Combine(s.Db.Folder, "report.docx");
        await using (var stream = File.Create(file))
        {
            await s.Db.Get<ReportDocumentService>().ExportAsync(s.Executive, s.AuditId, stream);
        }

        var partners = (await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId)).Figures.Questions.Single(q => q.Key == "partners");
        using var document = WordprocessingDocument.Open(file, false);
        var main = document.MainDocumentPart!;
        var elements = main.Document.Body!.ChildElements.ToList();
        var headings = elements.OfType<W.Paragraph>().Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading2").ToList();
        var heading = headings.FirstOrDefault(p => p.InnerText == "Which partners were consulted? (the answers chosen)");
        Assert.True(heading is not null, "no figure of its own for the multichoice question; the charts are: " + string.Join(" | ", headings.Select(h => h.InnerText)));
        var figure = elements.Skip(elements.IndexOf(heading) + 1).TakeWhile(e => !headings.Contains(e)).ToList();
        var image = figure.SelectMany(e => e.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>()).Single();
        var rows = figure.OfType<W.Table>().Single().Elements<W.TableRow>()
            .Select(r => r.Elements<W.TableCell>().Select(c => c.InnerText).ToArray()).ToList();

        Assert.True(partners.Options.Sum(o => o.Share) > 1.6);
        Assert.Contains(figure, e => e.InnerText.Contains("can add up to more than 100%", StringComparison.Ordinal));
        Assert.Equal(["Answer", "Share of answers that chose it", "Answers that chose it"], rows[0]);
        Assert.Equal([["Police", "40%", "4 of 10"], ["School", "60%", "6 of 10"], ["None", "70%", "7 of 10"]], rows.Skip(1));
        Assert.Equal(partners.Options.Select(o => new[] { o.Label, Proposals.Percent(o.Share), $"{o.Count} of {partners.Counted}" }), rows.Skip(1));
        foreach (var option in partners.Options)
        {
            Assert.Contains($"{option.Label}: {Proposals.Percent(option.Share)} ({option.Count} of {partners.Counted}).", image.Description!.Value);
        }

        // Every chart image: nothing drawn reaches its edge, so no legend, label or tick is cut off.
        foreach (var part in main.ImageParts)
        {
            using var png = new MemoryStream();
            using (var data = part.GetStream())
            {
                data.CopyTo(png);
            }

            using var bitmap = SkiaSharp.SKBitmap.Decode(png.ToArray());
            var touching = EdgePixels(bitmap).Where(p => bitmap.GetPixel(p.X, p.Y) is var c && (c.Red < 250 || c.Green < 250 || c.Blue < 250)).ToList();
            Assert.True(touching.Count == 0, $"{part.Uri}: {touching.Count} pixels drawn on the edge, first at {touching.FirstOrDefault()}");
        }
    }

    [Fact]
    public async Task WordChart_OfAMultichoiceQuestion_DrawsABarPerOption_ReadBackFromThePlot_EachAsLongAsItsShareAndLabelledWithIt()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var partners = (await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId)).Figures.Questions.Single(q => q.Key == "partners");
        var report = await s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId);

        var charts = ReportChartImages.For(report);

        var chart = charts.Single(c => c.Title == "Which partners were consulted? (the answers chosen)");
        Assert.Equal(partners.Options.Select(o => (o.Label, Math.Round(o.Share * 100, 9), Proposals.Percent(o.Share))),
            chart.Bars.Select(b => (b.Category, Math.Round(b.Percent, 9), b.Label)));
        Assert.Equal(chart.Rows.Select(r => (r[0], r[1])), chart.Bars.Select(b => (b.Category, b.Label)));
        // A stacked chart's parts are the same figures as its table, question by question (a part too narrow for its
        // label, here the 0% of "Partly", is drawn without one).
        var stacked = charts.First(c => c.Title.StartsWith("Share of each answer (Yes", StringComparison.Ordinal));
        var parts = stacked.Bars.Chunk(3).ToList();
        Assert.Equal(stacked.Rows.Count, parts.Count);
        for (var q = 0; q < parts.Count; q++)
        {
            Assert.All(parts[q], b => Assert.Equal(stacked.Rows[q][0], b.Category));
            Assert.Equal(stacked.Rows[q][1..^1], parts[q].Select(b => Proposals.Percent(b.Percent / 100)));
            Assert.Equal(stacked.Rows[q][1..^1].Select(p => p == "0%" ? "" : p), parts[q].Select(b => b.Label));
        }
    }

    private static IEnumerable<(int X, int Y)> EdgePixels(SkiaSharp.SKBitmap bitmap)
    {
        for (var x = 0; x < bitmap.Width; x++)
        {
            yield return (x, 0);
            yield return (x, bitmap.Height - 1);
        }

        for (var y = 0; y < bitmap.Height; y++)
        {
            yield return (0, y);
            yield return (bitmap.Width - 1, y);
        }
    }

    [Fact]
    public async Task Trends_TwoAuditsPublishedTheSameDay_AreTwoPointsNamedByTitleAndDate_AndOneAuditSaysATrendNeedsASecond()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var trendsService = s.Db.Get<TrendsService>();

        var one = await trendsService.GetAsync(s.Executive);

        Assert.Equal("One published audit is shown, as one point on each chart: a trend needs a second one.", one.Summary);
        var theme = one.Themes.Single(t => t.Key == "voice-of-child");
        Assert.Single(theme.Points);
        Assert.Equal("positive %: one published audit has it, so one point; a trend needs a second one", theme.Caption);

        var package = await PackageAsync(s);
        var ids = new List<long> { s.AuditId };
        foreach (var title in new[] { "Second round", "Second round" })
        {
            var doc = JsonNode.Parse(package)!;
            doc["audit"]!["title"] = title;
            ids.Add(await ImportAsync(s, doc, "second.json"));
        }

        // All three on 2 December 2026: the first imported last, in the evening.
        using (var connection = s.Db.Factory.Open())
        {
            foreach (var (id, utc) in new[] { (ids[1], "2026-12-02T08:00:00.0000000Z"), (ids[2], "2026-12-02T12:00:00.0000000Z"), (ids[0], "2026-12-02T18:45:00.0000000Z") })
            {
                Assert.Equal(1, connection.Execute("UPDATE audits SET published_utc = @utc WHERE id = @id", new { utc, id }));
            }
        }

        var three = await trendsService.GetAsync(s.Executive);

        Assert.Equal("3 published audits are shown, a point each, in order of publication.", three.Summary);
        var points = three.Themes.Single(t => t.Key == "voice-of-child");
        Assert.Equal([ids[1], ids[2], ids[0]], points.Points.Select(p => p.AuditId));
        Assert.Equal(["2 December 2026", "2 December 2026", "2 December 2026"], points.Points.Select(p => p.Published));
        Assert.Equal(["Second round, 2 December 2026", "Second round, 2 December 2026", "Escalation audit, 2 December 2026"], points.Points.Select(p => p.Label));
        Assert.Equal(["Second round, 2 December 2026", "Second round, 2 December 2026 (2)", "Escalation audit, 2 December 2026"], points.PointLabels);
        Assert.Equal("positive %: 3 published audits, a point each, in order of publication", points.Caption);
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
        var package = await PackageAsync(s);
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

            ids.Add(await ImportAsync(s, doc, $"{title}.json"));
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

    [Fact]
    public async Task Trends_KeepTheSameKeyAskingSomethingElseInAnotherTemplate_ApartAndNamed_AndJoinItWhenTheWordsAreTheSame()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var package = await PackageAsync(s);
        var original = JsonNode.Parse(package)!["template"]!;
        var seenAloneText = (string)original["sections"]!.AsArray().SelectMany(x => x!["questions"]!.AsArray())
            .Single(q => (string?)q!["key"] == "seen-alone")!["text"]!;

        Task<long> ImportAsTemplateAsync(string title, string templateKey, string templateTitle, string? seenAloneSays)
        {
            var doc = JsonNode.Parse(package)!;
            doc["audit"]!["title"] = title;
            var template = doc["template"]!;
            template["key"] = templateKey;
            template["title"] = templateTitle;
            if (seenAloneSays is not null)
            {
                template["sections"]!.AsArray().SelectMany(x => x!["questions"]!.AsArray())
                    .Single(q => (string?)q!["key"] == "seen-alone")!["text"] = seenAloneSays;
            }

            return ImportAsync(s, doc, $"{title}.json");
        }

        // The same template again; another template asking the same thing in the same words (bar case and a full stop);
        // and a third template whose "seen-alone" asks something else, twice.
        var again = await ImportAsTemplateAsync("Second round", (string)original["key"]!, (string)original["title"]!, null);
        var sameWords = await ImportAsTemplateAsync("Neighbouring audit", "neighbour-audit", "Neighbouring audit", seenAloneText.ToUpperInvariant() + ".");
        var otherA = await ImportAsTemplateAsync("Home visits 1", "home-visits", "Home visits", "Was the home visited unannounced?");
        var otherB = await ImportAsTemplateAsync("Home visits 2", "home-visits", "Home visits", "Was the home visited unannounced?");

        var trends = await s.Db.Get<TrendsService>().GetAsync(s.Executive);

        var lines = trends.Questions.Where(q => q.Key == "seen-alone").ToList();
        Assert.Equal(2, lines.Count);
        var child = lines.Single(l => l.Points.Any(p => p.AuditId == s.AuditId));
        Assert.Equal([s.AuditId, again, sameWords], child.Points.Select(p => p.AuditId));
        var visits = lines.Single(l => l.Points.Any(p => p.AuditId == otherA));
        Assert.Equal([otherA, otherB], visits.Points.Select(p => p.AuditId));
        // Each line names the templates it came from, and each point its own template.
        Assert.Equal("Was the home visited unannounced? (Home visits)", visits.Label);
        Assert.Contains("Neighbouring audit", child.Label);
        Assert.Equal(["Home visits", "Home visits"], visits.Points.Select(p => p.TemplateTitle));
        Assert.Equal("Neighbouring audit", child.Points[2].TemplateTitle);
    }

    [Fact]
    public async Task TheSameKeyAskingSomethingElse_IsOneMeasureOnlyOnceAScrutineerConfirmsIt_OnTrendsAndInTheBaselineComparison_Logged()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var package = await PackageAsync(s);
        var original = JsonNode.Parse(package)!["template"]!;
        var templateKey = (string)original["key"]!;
        var baselineTitle = (await s.Db.Get<IAuditRepository>().GetByIdAsync(s.AuditId))!.Title;
        const string otherWords = "Was the child seen without the parent present?";
        var doc = JsonNode.Parse(package)!;
        doc["audit"]!["title"] = "Home visits follow-up";
        doc["audit"]!["kind"] = AuditKinds.FollowUp;
        doc["audit"]!["baselineTitle"] = baselineTitle;
        doc["template"]!["key"] = "home-visits";
        doc["template"]!["title"] = "Home visits";
        doc["template"]!["sections"]!.AsArray().SelectMany(x => x!["questions"]!.AsArray()).Single(q => (string?)q!["key"] == "seen-alone")!["text"] = otherWords;
        var followUp = await ImportAsync(s, doc, "home-visits.json");
        var trendsService = s.Db.Get<TrendsService>();
        var figures = s.Db.Get<FiguresService>();
        var reports = s.Db.Get<ReportService>();

        // Before: two measures of one point each (so no trend), the comparison leaves the question out and says why.
        var before = await trendsService.GetAsync(s.Scrutineer);
        Assert.DoesNotContain(before.Questions, q => q.Key == "seen-alone");
        var split = Assert.Single(before.Splits, k => k.QuestionKey == "seen-alone");
        Assert.Equal(2, split.Lines.Count);
        Assert.DoesNotContain((await figures.GetAsync(s.Scrutineer, followUp)).Baseline!.Questions, c => c.Key == "seen-alone");
        Assert.Contains((await figures.GetAsync(s.Scrutineer, followUp)).Baseline!.Questions, c => c.Key == "overall");
        Assert.Equal([otherWords], (await reports.GetAsync(s.Executive, followUp)).BaselineKeptApart);

        // Only a scrutineer may join them; a key the templates do not both publish is refused, and nothing is stored.
        await Assert.ThrowsAsync<AccessDeniedException>(() => trendsService.ConfirmSameMeasureAsync(s.Executive, "seen-alone", templateKey, "home-visits"));
        await Assert.ThrowsAsync<DomainValidationException>(() => trendsService.ConfirmSameMeasureAsync(s.Scrutineer, "no-such-key", templateKey, "home-visits"));
        await Assert.ThrowsAsync<DomainValidationException>(() => trendsService.ConfirmSameMeasureAsync(s.Scrutineer, "seen-alone", templateKey, templateKey));
        Assert.Empty((await trendsService.GetAsync(s.Scrutineer)).Confirmed);

        await trendsService.ConfirmSameMeasureAsync(s.Scrutineer, "seen-alone", "home-visits", templateKey);
        var after = await trendsService.GetAsync(s.Scrutineer);
        var line = Assert.Single(after.Questions, q => q.Key == "seen-alone");
        Assert.Equal([s.AuditId, followUp], line.Points.Select(p => p.AuditId));
        Assert.DoesNotContain(after.Splits, k => k.QuestionKey == "seen-alone");
        var confirmed = Assert.Single(after.Confirmed);
        Assert.Equal(("seen-alone", SameMeasures.Ordered(templateKey, "home-visits").First, "scrutineer"), (confirmed.QuestionKey, confirmed.TemplateKey, confirmed.ConfirmedBy));
        var change = Assert.Single((await figures.GetAsync(s.Scrutineer, followUp)).Baseline!.Questions, c => c.Key == "seen-alone");
        Assert.NotNull(change.BaselineRate);
        Assert.Empty((await reports.GetAsync(s.Executive, followUp)).BaselineKeptApart);
        await Assert.ThrowsAsync<DomainValidationException>(() => trendsService.ConfirmSameMeasureAsync(s.Scrutineer, "seen-alone", templateKey, "home-visits"));

        // Withdrawn: apart again. Both decisions are in the log, by whom.
        await trendsService.KeepApartAsync(s.Scrutineer, "seen-alone", templateKey, "home-visits");
        Assert.Equal(2, Assert.Single((await trendsService.GetAsync(s.Scrutineer)).Splits, k => k.QuestionKey == "seen-alone").Lines.Count);
        await Assert.ThrowsAsync<DomainValidationException>(() => trendsService.KeepApartAsync(s.Scrutineer, "seen-alone", templateKey, "home-visits"));
        var log = (await s.Db.Get<AuditTool.Domain.Logging.AuditLogService>().SearchAsync(s.Administrator,
            new AuditTool.Domain.Logging.AuditLogQuery(null, "question", null, null, 0, 10))).Entries;
        Assert.Equal(["keep-measures-apart", "confirm-same-measure"], log.Select(l => l.Action).Take(2));
        Assert.All(log.Take(2), l => Assert.Equal("scrutineer", l.UserName));
    }

    [Fact]
    public async Task Themes_ReadByTheNamesTheirTemplateGives_OnTheReportItsFindingsAndTrends_AndTheNamesAreStored()
    {
        var (s, _) = await PublishedAsync();
        using var _1 = s;
        var doc = JsonNode.Parse(await PackageAsync(s))!;
        doc["audit"]!["title"] = "Named themes";
        doc["template"]!["key"] = "named-themes";
        doc["template"]!["themeNames"] = new JsonObject { ["voice-of-child"] = "The child's own voice" };
        var named = await ImportAsync(s, doc, "named.json");

        var reports = s.Db.Get<ReportService>();
        var report = await reports.GetAsync(s.Executive, named);
        Assert.Contains(report.Themes, t => t.Label == "The child's own voice");
        Assert.DoesNotContain(report.Themes, t => t.Label is "voice-of-child" or "Voice of the child");
        Assert.Equal(["The child's own voice"], report.Strengths.Single(f => f.Title == "Police saw children alone").Themes);
        // The audit on a template that names nothing reads the built-in name, never the key.
        var plain = await reports.GetAsync(s.Executive, s.AuditId);
        Assert.Contains(plain.Themes, t => t.Label == "Voice of the child");
        Assert.Equal(["Voice of the child"], plain.Strengths.Single(f => f.Title == "Police saw children alone").Themes);

        var templates = s.Db.Get<ITemplateRepository>();
        var stored = await templates.GetVersionAsync((await templates.GetVersionIdAsync("named-themes", 1))!.Value);
        Assert.Equal("The child's own voice", stored!.ThemeNames["voice-of-child"]);
        Assert.Contains("\"themeNames\"", TemplateJson.Write(stored));

        var trends = await s.Db.Get<TrendsService>().GetAsync(s.Executive);
        Assert.Equal("The child's own voice", trends.Themes.Single(t => t.Key == "voice-of-child").Label);
    }
}

public sealed class BoardReportTestsOnSqlite() : BoardReportTests(DatabaseEngine.Sqlite);

public sealed class BoardReportTestsOnPostgres() : BoardReportTests(DatabaseEngine.Postgres);
