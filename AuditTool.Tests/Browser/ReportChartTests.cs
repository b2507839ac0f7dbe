using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The charts of the report and the trends page, read back from what the browser draws and compared with the tables on
/// the same page: a multichoice question whose shares add up to more than 100% is a bar per option, every bar on screen;
/// trend points are audits, named by title and day of publication, and the words say what is drawn.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportChartTests(BrowserFixture fixture)
{
    private const string Question = "What action was taken once the risk was recognised?";

    /// <summary>
    /// A published audit of seven cases, police and education answering each: a yes-partly-no question and a multichoice
    /// question (several actions per return). Of the 14 answers, strategy 5, referral 8, information shared 4 and no
    /// action 6: 36%, 57%, 29% and 43%, 164% in all.
    /// </summary>
    public static string MultichoicePackage(string title, params string[] caseRefs)
    {
        var returns = caseRefs.SelectMany((r, i) => new[]
        {
            $$"""{ "case": "{{r}}", "agency": "police", "status": "submitted", "answers": { "seen-alone": "yes", "actions": {{(i < 5 ? """["strategy", "referral"]""" : """["none"]""")}} }, "evidence": {} }""",
            $$"""{ "case": "{{r}}", "agency": "education", "status": "submitted", "answers": { "seen-alone": "no", "actions": {{(i < 4 ? """["shared", "none"]""" : """["referral"]""")}} }, "evidence": {} }""",
        });
        return $$"""
            { "format": "audittool.audit/v1",
              "audit": { "title": "{{title}}", "kind": "deep-dive", "purpose": "Browser test of the charts", "sampleCriteria": "Hand picked",
                         "thresholds": { "strength": 0.8, "development": 0.6, "minimumCount": 5 }, "baselineTitle": null, "status": "published" },
              "template": { "format": "audittool.template/v1", "key": "chart-check", "version": 1, "title": "Chart check", "description": "",
                "scales": {},
                "sections": [ { "key": "practice", "title": "Practice", "guidance": "", "agencyKinds": [],
                  "questions": [
                    { "key": "seen-alone", "text": "Was the child seen alone?", "guidance": "", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": ["voice-of-child"] },
                    { "key": "actions", "text": "{{Question}}", "guidance": "", "type": "multichoice", "required": true, "weight": 1, "themes": ["exploitation"],
                      "options": [
                        { "value": "strategy", "label": "Strategy discussion held with partners", "score": 2, "polarity": "positive" },
                        { "value": "referral", "label": "Referral made to children's social care", "score": 2, "polarity": "positive" },
                        { "value": "shared", "label": "Information shared, with no further action", "score": 1, "polarity": "neutral" },
                        { "value": "none", "label": "No action taken", "score": 0, "polarity": "negative" } ] } ] } ] },
              "agencies": [ { "key": "police", "name": "Cleveland Police", "kind": "police" }, { "key": "education", "name": "Schools and Education Services", "kind": "education" } ],
              "cases": [ {{string.Join(", ", caseRefs.Select(r => $$"""{ "ref": "{{r}}", "attributes": {} }"""))}} ],
              "returns": [ {{string.Join(", ", returns)}} ],
              "moderation": [], "findings": [], "actions": [] }
            """;
    }

    [Fact]
    public async Task MultichoiceChart_IsABarPerOption_ReadBackFromThePage_AgreesWithItsTable_AndTheLastOptionIsOnScreen()
    {
        var auditId = await fixture.ImportAuditAsync(MultichoicePackage("Chart audit (browser)", "CH-001", "CH-002", "CH-003", "CH-004", "CH-005", "CH-006", "CH-007"));
        var page = await fixture.SignInAsync("executive");
        await BrowserFixture.GotoAsync(page, $"/reports/{auditId}");
        var problems = new List<string>();

        foreach (var width in new[] { 1280, 320 })
        {
            await page.SetViewportSizeAsync(width, 800);
            var chart = page.Locator("[data-testid='option-chart'][data-question='actions']");
            await Assertions.Expect(chart.Locator("figcaption")).ToContainTextAsync(Question);
            await Assertions.Expect(chart).ToContainTextAsync("can add up to more than 100%");

            // The chart as drawn: each bar's option, its label and the length of its fill against its track.
            var bars = chart.GetByTestId("option-bar");
            await Assertions.Expect(bars).ToHaveCountAsync(4);
            var drawn = new List<(string Option, string Label, double Length)>();
            for (var i = 0; i < 4; i++)
            {
                var bar = bars.Nth(i);
                var fill = await bar.GetByTestId("option-bar-fill").BoundingBoxAsync();
                var track = await bar.Locator(".option-bar-track").BoundingBoxAsync();
                drawn.Add((await bar.Locator(".option-bar-label").InnerTextAsync(), await bar.GetByTestId("option-bar-value").InnerTextAsync(),
                    fill!.Width / track!.Width));
            }

            // The table of the same figure, as the page shows it.
            if (await chart.Locator("details").GetAttributeAsync("open") is null)
            {
                await chart.Locator("summary").ClickAsync();
            }

            var rows = chart.GetByTestId("figure-table").Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(4);
            var table = new List<(string Option, string Share)>();
            for (var i = 0; i < 4; i++)
            {
                table.Add((await rows.Nth(i).Locator("th").InnerTextAsync(), await rows.Nth(i).Locator("td").First.InnerTextAsync()));
            }

            Assert.Equal(
                [("Strategy discussion held with partners", "36%"), ("Referral made to children's social care", "57%"),
                    ("Information shared, with no further action", "29%"), ("No action taken", "43%")],
                table);
            Assert.Equal(table, drawn.Select(d => (d.Option, d.Label)));
            double[] shares = [5 / 14.0, 8 / 14.0, 4 / 14.0, 6 / 14.0];
            for (var i = 0; i < 4; i++)
            {
                Assert.True(Math.Abs(drawn[i].Length - shares[i]) < 0.02, $"{drawn[i].Option} at {width} px: drawn {drawn[i].Length:P1}, figure {shares[i]:P1}");
            }

            // The last option, its words and its figure, inside the chart's own box, on screen.
            var last = bars.Last;
            await last.ScrollIntoViewIfNeededAsync();
            var box = (await chart.BoundingBoxAsync())!;
            await Assertions.Expect(last.Locator(".option-bar-label")).ToBeInViewportAsync();
            await Assertions.Expect(last.GetByTestId("option-bar-value")).ToBeInViewportAsync();
            foreach (var part in new[] { last.Locator(".option-bar-label"), last.GetByTestId("option-bar-value"), last.GetByTestId("option-bar-fill") })
            {
                var b = (await part.BoundingBoxAsync())!;
                Assert.True(b.X >= box.X - 0.5 && b.Y >= box.Y - 0.5 && b.X + b.Width <= box.X + box.Width + 0.5 && b.Y + b.Height <= box.Y + box.Height + 0.5,
                    $"at {width} px the last option's {await part.GetAttributeAsync("class")} ({b.X},{b.Y},{b.Width}x{b.Height}) is outside the chart ({box.X},{box.Y},{box.Width}x{box.Height})");
            }

            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"report at {width} px: {v}"));
            if (width == 320)
            {
                problems.AddRange((await EveryPageTests.ReflowProblemsAsync(page)).Select(p => $"report at 320 px: {p}"));
            }
        }

        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private const string PlanQuestion =
        "Did the plan name who would do what, by when, and how the child's own views and wishes would be sought and recorded at every review?";

    /// <summary>
    /// A published audit of six cases, police and education answering each, with the audit's own thresholds (75% and
    /// 50%): a graded yes-partly-no question of 133 characters (yes 6, partly 3, no 3 of 12) and a descriptive single
    /// choice, SEND status, every option neutral (none 3, SEN support 3, EHCP 4, assessment requested 2 of 12).
    /// </summary>
    public static string BoardChartPackage(string title, params string[] caseRefs)
    {
        var returns = caseRefs.SelectMany((r, i) => new[]
        {
            $$"""{ "case": "{{r}}", "agency": "police", "status": "submitted", "answers": { "plan": "yes", "send": "{{(i < 3 ? "none" : "sen-support")}}" }, "evidence": {} }""",
            $$"""{ "case": "{{r}}", "agency": "education", "status": "submitted", "answers": { "plan": "{{(i < 3 ? "partly" : "no")}}", "send": "{{(i < 4 ? "ehcp" : "assessment")}}" }, "evidence": {} }""",
        });
        return $$"""
            { "format": "audittool.audit/v1",
              "audit": { "title": "{{title}}", "kind": "deep-dive", "purpose": "Browser test of the board's charts", "sampleCriteria": "Hand picked",
                         "thresholds": { "strength": 0.75, "development": 0.5, "minimumCount": 5 }, "baselineTitle": null, "status": "published" },
              "template": { "format": "audittool.template/v1", "key": "board-chart-check", "version": 1, "title": "Board chart check", "description": "",
                "scales": {},
                "sections": [ { "key": "practice", "title": "Practice", "guidance": "", "agencyKinds": [],
                  "questions": [
                    { "key": "plan", "text": "{{PlanQuestion}}", "guidance": "", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": ["voice-of-child"] },
                    { "key": "send", "text": "What was the child's SEND support status during the audit period?", "guidance": "", "type": "choice", "required": true, "weight": 1, "themes": [],
                      "options": [
                        { "value": "none", "label": "None", "score": 0, "polarity": "neutral" },
                        { "value": "sen-support", "label": "SEN support", "score": 0, "polarity": "neutral" },
                        { "value": "ehcp", "label": "Education, Health and Care Plan (EHCP)", "score": 0, "polarity": "neutral" },
                        { "value": "assessment", "label": "EHC needs assessment requested", "score": 0, "polarity": "neutral" } ] } ] } ] },
              "agencies": [ { "key": "police", "name": "Cleveland Police", "kind": "police" }, { "key": "education", "name": "Schools and Education Services", "kind": "education" } ],
              "cases": [ {{string.Join(", ", caseRefs.Select(r => $$"""{ "ref": "{{r}}", "attributes": {} }"""))}} ],
              "returns": [ {{string.Join(", ", returns)}} ],
              "moderation": [], "findings": [], "actions": [] }
            """;
    }

    [Fact]
    public async Task QuestionCharts_ShowFullWords_TheTablesFigures_TheAuditsThresholds_AndADescriptiveQuestionInDistinctNeutralShades()
    {
        var auditId = await fixture.ImportAuditAsync(BoardChartPackage("Board chart audit (browser)", "BC-001", "BC-002", "BC-003", "BC-004", "BC-005", "BC-006"));
        var page = await fixture.SignInAsync("executive");
        await BrowserFixture.GotoAsync(page, $"/reports/{auditId}");
        var problems = new List<string>();

        foreach (var width in new[] { 1280, 320 })
        {
            await page.SetViewportSizeAsync(width, 800);
            var graded = page.Locator("[data-testid='grade-chart']").Filter(new() { Has = page.Locator("[data-question='plan']") });
            var row = graded.Locator("[data-testid='stack-row'][data-question='plan']");
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(graded).ToHaveAttributeAsync("data-graded", "true");

            // Every word of the question, wrapped onto lines beside its bar.
            var label = row.GetByTestId("stack-label");
            await Assertions.Expect(label).ToHaveTextAsync(PlanQuestion);
            var labelBox = (await label.BoundingBoxAsync())!;
            var lineHeight = double.Parse((await label.EvaluateAsync<string>("e => getComputedStyle(e).lineHeight")).Replace("px", ""), CultureInfo.InvariantCulture);
            Assert.True(labelBox.Height >= 2.5 * lineHeight, $"at {width} px the question's words take {labelBox.Height} px, one line is {lineHeight} px");

            // The parts as drawn, in the scale's order, each with the figure of the table's row.
            var table = await TableAsync(graded);
            Assert.Equal(["Question", "Yes", "Partly", "No", "Counted"], table[0]);
            Assert.Equal([PlanQuestion, "50%", "25%", "25%", "12"], table[1]);
            var parts = row.GetByTestId("stack-part");
            await Assertions.Expect(parts).ToHaveCountAsync(3);
            var track = (await row.Locator(".stack-track").BoundingBoxAsync())!;
            double[] shares = [0.5, 0.25, 0.25];
            for (var i = 0; i < 3; i++)
            {
                var part = parts.Nth(i);
                Assert.Equal(table[0][i + 1], await part.GetAttributeAsync("data-option"));
                Assert.Equal(table[1][i + 1], (await part.InnerTextAsync()).Trim());
                var box = (await part.BoundingBoxAsync())!;
                Assert.True(Math.Abs(box.Width / track.Width - shares[i]) < 0.02, $"{table[0][i + 1]} at {width} px: {box.Width / track.Width:P1}");
            }

            Assert.Equal("12", (await row.GetByTestId("stack-counted").InnerTextAsync()).Trim());

            // The audit's thresholds: a line at 75% and at 50% of the bar, named above the bars.
            var lines = row.GetByTestId("threshold-line");
            await Assertions.Expect(lines).ToHaveCountAsync(2);
            double[] at = [0.75, 0.5];
            for (var i = 0; i < 2; i++)
            {
                var box = (await lines.Nth(i).BoundingBoxAsync())!;
                var x = box.X + box.Width / 2;
                Assert.True(Math.Abs((x - track.X) / track.Width - at[i]) < 0.01, $"line {i} at {width} px is at {(x - track.X) / track.Width:P1} of the bar");
            }

            await Assertions.Expect(graded.GetByTestId("threshold-label")).ToHaveTextAsync(["Strength 75%", "Development 50%"]);
            var strengthLabel = (await graded.GetByTestId("threshold-label").First.BoundingBoxAsync())!;
            Assert.True(Math.Abs(strengthLabel.X + strengthLabel.Width - (track.X + 0.75 * track.Width)) < 3, "the strength label does not end at its line");

            // SEND status describes the child: no thresholds, one neutral hue in distinct lightness, no red, each part
            // with at least 3:1 against the page.
            var send = page.Locator("[data-testid='grade-chart']").Filter(new() { Has = page.Locator("[data-question='send']") });
            await Assertions.Expect(send).ToHaveAttributeAsync("data-graded", "false");
            await Assertions.Expect(send.GetByTestId("threshold-line")).ToHaveCountAsync(0);
            var sendTable = await TableAsync(send);
            Assert.Equal(["Question", "None", "SEN support", "Education, Health and Care Plan (EHCP)", "EHC needs assessment requested", "Counted"], sendTable[0]);
            Assert.Equal(["25%", "25%", "33%", "17%"], sendTable[1][1..^1]);
            var sendParts = send.GetByTestId("stack-part");
            await Assertions.Expect(sendParts).ToHaveTextAsync(["25%", "25%", "33%", "17%"]);
            var colours = new List<(string Option, int R, int G, int B)>();
            for (var i = 0; i < 4; i++)
            {
                await sendParts.Nth(i).ScrollIntoViewIfNeededAsync();
                using var bitmap = SkiaSharp.SKBitmap.Decode(await sendParts.Nth(i).ScreenshotAsync());
                var c = bitmap.GetPixel(2, 2);
                colours.Add(((await sendParts.Nth(i).GetAttributeAsync("data-option"))!, c.Red, c.Green, c.Blue));
            }

            var luminance = colours.Select(c => AuditTool.Domain.Findings.ChartColours.Luminance($"#{c.R:x2}{c.G:x2}{c.B:x2}")).ToList();
            var ordered = luminance.Order().ToList();
            for (var i = 1; i < 4; i++)
            {
                Assert.True(ordered[i] - ordered[i - 1] >= 0.04, $"two SEND options close in greyscale at {width} px: {string.Join(", ", colours)}");
            }

            Assert.All(colours, c => Assert.False(c.R - Math.Max(c.G, c.B) > 40, $"{c.Option} is drawn in a red ({c.R},{c.G},{c.B})"));
            Assert.All(luminance, l => Assert.True(1.05 / (l + 0.05) >= 3, $"a SEND part has {1.05 / (l + 0.05):0.00}:1 against white"));

            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"report at {width} px: {v}"));
            if (width == 320)
            {
                problems.AddRange((await EveryPageTests.ReflowProblemsAsync(page)).Select(p => $"report at 320 px: {p}"));
            }
        }

        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>A figure's table as the page shows it (opened if folded): the header, then each row's cells.</summary>
    private static async Task<List<string[]>> TableAsync(ILocator figure)
    {
        if (await figure.Locator("details").GetAttributeAsync("open") is null)
        {
            await figure.Locator("summary").ClickAsync();
        }

        var table = figure.GetByTestId("figure-table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        var result = new List<string[]> { (await table.Locator("thead th").AllInnerTextsAsync()).ToArray() };
        var rows = table.Locator("tbody tr");
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add((await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).ToArray());
        }

        return result;
    }

    [Fact]
    public async Task Trends_OneAuditIsOnePointAndSaysSo_TwoAuditsPublishedTheSameDayAreTwoPointsNamedByTitleAndDate()
    {
        // An app of its own: its published audits are the demo's, whatever the other tests publish.
        await using var app = await AppHost.StartAsync();
        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "executive");
        await BrowserFixture.GotoAsync(page, "/trends");

        // The demo's history: its deep dive and, six months on, the follow-up on the same template, a point each in order
        // of publication (two and a half and two years ago); the escalation procedure went from a development area to a
        // strength. The chart's values are the table's.
        await Assertions.Expect(page.GetByTestId("trends-count")).ToHaveTextAsync("2 published audits are shown, a point each, in order of publication.");
        var history = new AuditTool.Web.Hosting.DemoAudits.History(DateOnly.FromDateTime(DateTime.UtcNow));
        string Day(DateOnly deadline) => AuditTool.Web.Hosting.DemoAudits.History.PublishedAfter(deadline).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
        var escalation = page.GetByTestId("trend-question-escalation-procedure-used");
        await Assertions.Expect(Markers(escalation)).ToHaveCountAsync(2);
        var demoRows = escalation.Locator("tbody tr");
        await Assertions.Expect(demoRows).ToHaveCountAsync(2);
        await Assertions.Expect(demoRows.Nth(0).Locator("th, td").First).ToHaveTextAsync(AuditTool.Web.Hosting.DemoAudits.DeepDiveTitle);
        await Assertions.Expect(demoRows.Nth(0).Locator("td").First).ToHaveTextAsync(Day(history.DeepDiveDeadline));
        await Assertions.Expect(demoRows.Nth(1).Locator("th, td").First).ToHaveTextAsync(AuditTool.Web.Hosting.DemoAudits.FollowUpTitle);
        await Assertions.Expect(demoRows.Nth(1).Locator("td").First).ToHaveTextAsync(Day(history.FollowUpDeadline));
        var rates = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            rates.Add(await demoRows.Nth(i).Locator("td").Nth(1).InnerTextAsync());
        }

        Assert.True(Percent(rates[0]) < 60 && Percent(rates[1]) >= 80, $"The escalation question went {rates[0]} to {rates[1]}.");
        // The value written on each point, left to right, is the table's, row by row.
        await Assertions.Expect(escalation.Locator("svg .rz-series-data-label-group text")).ToHaveTextAsync(rates.ToArray());

        // Without the follow-up (unpublished here) the deep dive is the only published audit.
        await UnpublishAsync(app, 3);
        await BrowserFixture.GotoAsync(page, "/trends");

        await Assertions.Expect(page.GetByTestId("trends-count"))
            .ToHaveTextAsync("One published audit is shown, as one point on each chart: a trend needs a second one.");
        var charts = page.Locator("figure[data-testid^='trend-']");
        Assert.True(await charts.CountAsync() > 0);
        for (var i = 0; i < await charts.CountAsync(); i++)
        {
            var chart = charts.Nth(i);
            await Assertions.Expect(chart.GetByTestId("trend-caption")).ToContainTextAsync("one point; a trend needs a second one");
            await Assertions.Expect(Markers(chart)).ToHaveCountAsync(1);
            Assert.DoesNotContain(" L ", await chart.Locator("svg .rz-line-series > path").GetAttributeAsync("d"), StringComparison.Ordinal);
            // The point is named by its audit's title and day of publication, the same words as the table under it.
            var row = chart.Locator("tbody tr");
            await Assertions.Expect(row).ToHaveCountAsync(1);
            var published = await row.Locator("td").First.InnerTextAsync();
            Assert.Matches(@"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$", published);
            // Each point says which template it asked from (a trend may join audits of several).
            Assert.False(string.IsNullOrWhiteSpace(await row.GetByTestId("trend-template").InnerTextAsync()));
            await Assertions.Expect(chart.GetByTestId("trend-point-label")).ToHaveTextAsync($"{AuditTool.Web.Hosting.DemoAudits.DeepDiveTitle}, {published}");
        }

        // On a phone the one audit's name wraps under its point: nothing runs off the screen.
        await page.SetViewportSizeAsync(320, 700);
        var narrow = (await EveryPageTests.ReflowProblemsAsync(page)).ToList();
        Assert.True(narrow.Count == 0, string.Join("\n", narrow));
        await page.SetViewportSizeAsync(1280, 720);

        // Two more audits, both published on 2 December 2026: the one imported second in the morning, the other after lunch.
        var deepDive = await ImportAsync(app, MultichoicePackage("Deep dive", "TR-001", "TR-002", "TR-003", "TR-004", "TR-005"));
        var followUp = await ImportAsync(app, MultichoicePackage("Follow-up", "TR-011", "TR-012", "TR-013", "TR-014", "TR-015"));
        await PublishedOnAsync(app, followUp, "2026-12-02T09:00:00.0000000Z");
        await PublishedOnAsync(app, deepDive, "2026-12-02T15:30:00.0000000Z");
        await BrowserFixture.GotoAsync(page, "/trends");

        await Assertions.Expect(page.GetByTestId("trends-count")).ToHaveTextAsync("3 published audits are shown, a point each, in order of publication.");
        var seenAlone = page.GetByTestId("trend-question-seen-alone");
        await Assertions.Expect(seenAlone.GetByTestId("trend-caption")).ToContainTextAsync("2 published audits, a point each, in order of publication");
        await Assertions.Expect(Markers(seenAlone)).ToHaveCountAsync(2);
        Assert.Contains(" L ", await seenAlone.Locator("svg .rz-line-series > path").GetAttributeAsync("d"), StringComparison.Ordinal);
        // The axis names each point by its audit, in order of publication: no made-up dates, no numbering.
        var labels = seenAlone.Locator("svg .rz-category-axis text");
        await Assertions.Expect(labels).ToHaveCountAsync(2);
        Assert.Equal(["Follow-up, 2 December 2026", "Deep dive, 2 December 2026"], await labels.AllTextContentsAsync());
        var rows = seenAlone.Locator("tbody tr");
        await Assertions.Expect(rows.Nth(0).Locator("th, td")).ToHaveTextAsync(["Follow-up", "2 December 2026", "50%", "10", "Chart check"]);
        await Assertions.Expect(rows.Nth(1).Locator("th, td")).ToHaveTextAsync(["Deep dive", "2 December 2026", "50%", "10", "Chart check"]);

        var problems = (await BrowserFixture.SeriousAxeViolationsAsync(page)).ToList();
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Trends_AScrutineerSeesTheSameKeyAskedInOtherWords_JoinsItAsOneMeasure_AndKeepsItApartAgain()
    {
        await using var app = await AppHost.StartAsync();
        await ImportAsync(app, MultichoicePackage("Chart round", "SM-001", "SM-002", "SM-003", "SM-004", "SM-005"));
        await ImportAsync(app, MultichoicePackage("Home visit round", "SM-011", "SM-012", "SM-013", "SM-014", "SM-015")
            .Replace("\"key\": \"chart-check\"", "\"key\": \"home-visit-check\"").Replace("\"title\": \"Chart check\"", "\"title\": \"Home visit check\"")
            .Replace("Was the child seen alone?", "Was the child seen without a parent present?"));
        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "scrutineer");
        await BrowserFixture.GotoAsync(page, "/trends");

        // Two measures under one key, a point each: no trend yet, and the page says which templates ask what.
        var trend = page.GetByTestId("trend-question-seen-alone");
        await Assertions.Expect(trend).ToHaveCountAsync(0);
        var split = page.GetByTestId("split-seen-alone");
        await Assertions.Expect(split.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(
            ["Chart check: “Was the child seen alone?”", "Home visit check: “Was the child seen without a parent present?”"]);
        await split.GetByRole(AriaRole.Button, new() { Name = "They measure the same thing: join them" }).ClickAsync();

        var result = page.GetByTestId("measure-result");
        await Assertions.Expect(result).ToHaveTextAsync("Joined: “seen-alone” is now one measure in Chart check and Home visit check.");
        await Assertions.Expect(result).ToBeFocusedAsync();
        await Assertions.Expect(Markers(trend)).ToHaveCountAsync(2);
        await Assertions.Expect(trend.Locator("tbody tr td[data-testid=trend-template]")).ToHaveTextAsync(["Chart check", "Home visit check"]);
        await Assertions.Expect(split).ToHaveCountAsync(0);
        var confirmed = page.GetByTestId("confirmed-measures").GetByRole(AriaRole.Listitem);
        await Assertions.Expect(confirmed).ToContainTextAsync("confirmed by scrutineer");
        var problems = (await BrowserFixture.SeriousAxeViolationsAsync(page)).ToList();

        await confirmed.GetByRole(AriaRole.Button, new() { Name = "Keep them apart again" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("Kept apart again");
        await Assertions.Expect(trend).ToHaveCountAsync(0);
        await Assertions.Expect(split).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The points Radzen draws: a marker each.</summary>
    private static ILocator Markers(ILocator chart) => chart.Locator("svg .rz-line-series .rz-marker");

    private static async Task<long> ImportAsync(AppHost app, string packageJson)
    {
        var file = Path.Combine(app.Folder, $"package-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, packageJson);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AuditTool.Web.Cli.CommandLine.RunAsync(["import-audit", file, "--db", app.DatabasePath], stdout, stderr, TextReader.Null);
        Assert.True(code == 0, stderr.ToString());
        return long.Parse(stdout.ToString().Trim(), CultureInfo.InvariantCulture);
    }

    private static int Percent(string text) => int.Parse(text.TrimEnd('%'), CultureInfo.InvariantCulture);

    /// <summary>Takes an audit back to moderation, as if it had never been published (the app's own database).</summary>
    private static async Task UnpublishAsync(AppHost app, long auditId)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE audits SET status = 'moderation', published_utc = NULL WHERE id = $id AND status = 'published'";
        command.Parameters.AddWithValue("$id", auditId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Sets when an audit was published (an import publishes it now).</summary>
    private static async Task PublishedOnAsync(AppHost app, long auditId, string utc)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE audits SET published_utc = $utc WHERE id = $id";
        command.Parameters.AddWithValue("$utc", utc);
        command.Parameters.AddWithValue("$id", auditId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
