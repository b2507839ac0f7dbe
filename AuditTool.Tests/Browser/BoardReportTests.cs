using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The findings page as a scrutineer writes it (a question linked with the picker, an evidence note edited into a quote),
/// then the published report as an executive reads it: the quote on the page and in the Word document, and the trends.
/// axe and the 320 px reflow check on each page, with the pickers and the quote editor open.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardReportTests(BrowserFixture fixture)
{
    private const string Title = "Board report audit (browser)";
    private const string Quote = "Police recorded direct work with the child, in the child's own words.";

    [Fact]
    public async Task Scrutineer_LinksAQuestionAndQuotesEvidence_ExecutiveReadsItInTheReportTheWordFileAndTheTrends()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage(Title, "BR-001", "BR-002", "BR-003", "BR-004", "BR-005", "BR-006"));
        var page = await fixture.SignInAsync("scrutineer");
        var problems = new List<string>();

        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/findings");
        var saved = page.GetByTestId("findings-save-state");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep: Overall, how good was this agency's practice?" }).ClickAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Kept “Overall, how good was this agency's practice?” as a finding.");
        var finding = page.Locator("[data-testid^='finding-']").First;
        await finding.GetByLabel("Title").FillAsync("Practice is good in one agency in two");
        await finding.GetByLabel("Title").BlurAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Saved the title of “Practice is good in one agency in two”");

        // The picker: each question by its words and its current rate, not a key to remember.
        await finding.GetByRole(AriaRole.Button, new() { Name = "Choose questions for “Practice is good in one agency in two”" }).ClickAsync();
        var seenAlone = finding.GetByRole(AriaRole.Checkbox, new() { Name = "Was the child seen alone?" });
        await Assertions.Expect(seenAlone).Not.ToBeCheckedAsync();
        await Assertions.Expect(finding.Locator(".link-option").Filter(new() { HasText = "Was the child seen alone?" }))
            .ToContainTextAsync("50% positive (6 of 12 answers)");
        await finding.GetByLabel("Filter the questions by their words").FillAsync("seen alone");
        await Assertions.Expect(finding.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(1);
        await seenAlone.CheckAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Saved the linked questions of “Practice is good in one agency in two”");
        var linked = finding.GetByTestId(new Regex("-questions-linked$"));
        await Assertions.Expect(linked).ToContainTextAsync("Overall, how good was this agency's practice?");
        await Assertions.Expect(linked).ToContainTextAsync("Was the child seen alone?");

        // A quote starts from an evidence note and is edited before it is saved; the tick is required.
        await finding.GetByRole(AriaRole.Button, new() { Name = "Add a quote to “Practice is good in one agency in two”" }).ClickAsync();
        await Assertions.Expect(finding.GetByTestId("quote-warning")).ToContainTextAsync("Take out anything that could identify");
        await finding.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Use this note: Cleveland Police, case BR-001") }).ClickAsync();
        var quoteBox = finding.GetByLabel("Quote, as it will appear in the report");
        await Assertions.Expect(quoteBox).ToHaveValueAsync("Secret evidence BR-001");
        await Assertions.Expect(quoteBox).ToBeFocusedAsync();

        // On a phone, with the picker and the quote editor open: nothing sideways, nothing axe calls serious.
        await page.SetViewportSizeAsync(320, 700);
        problems.AddRange((await EveryPageTests.ReflowProblemsAsync(page)).Select(p => $"findings at 320 px: {p}"));
        problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"findings at 320 px: {v}"));
        await page.SetViewportSizeAsync(1280, 720);

        await quoteBox.FillAsync(Quote);
        await finding.GetByRole(AriaRole.Button, new() { Name = "Save the quote" }).ClickAsync();
        await Assertions.Expect(finding.GetByRole(AriaRole.Alert)).ToContainTextAsync("tick the box");
        await finding.GetByLabel("I have checked this quote").CheckAsync();
        await finding.GetByRole(AriaRole.Button, new() { Name = "Save the quote" }).ClickAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Added a quote to “Practice is good in one agency in two”");
        await Assertions.Expect(finding.GetByTestId(new Regex("^quotes-\\d+-saved$"))).ToHaveTextAsync($"“{Quote}”Remove");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Publish( anyway)?$") }).ClickAsync();
        await Assertions.Expect(page.GetByText("The report is published: the findings are frozen.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // The executive: the quote in the report, the Word document, the trends.
        var executive = await fixture.SignInAsync("executive");
        await BrowserFixture.GotoAsync(executive, $"/reports/{auditId}");
        await Assertions.Expect(executive.GetByTestId("finding-quotes")).ToContainTextAsync(Quote);
        var text = await executive.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("BR-00", text);
        Assert.DoesNotContain("Secret evidence", text);
        await CheckAsync(executive, "report", problems);

        var download = await executive.RunAndWaitForDownloadAsync(() => executive.GetByTestId("report-docx").ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"board-report-{Guid.NewGuid():N}.docx");
        try
        {
            await download.SaveAsAsync(file);
            using var document = WordprocessingDocument.Open(file, false);
            var body = document.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains(Title, body, StringComparison.Ordinal);
            Assert.Contains("Practice is good in one agency in two", body, StringComparison.Ordinal);
            Assert.Contains(Quote, body, StringComparison.Ordinal);
            Assert.Contains("Was the child seen alone?", body, StringComparison.Ordinal);
            Assert.DoesNotContain("BR-00", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret evidence", body, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        await BrowserFixture.GotoAsync(executive, "/trends");
        await Assertions.Expect(executive.GetByTestId("trends-count")).ToBeVisibleAsync();
        await Assertions.Expect(executive.Locator("main")).ToContainTextAsync(Title);
        await CheckAsync(executive, "trends", problems);

        await executive.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>axe at the laptop's width, then axe and reflow at 320 px, then back.</summary>
    private static async Task CheckAsync(IPage page, string where, List<string> problems)
    {
        problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"{where} at 1280 px: {v}"));
        await page.SetViewportSizeAsync(320, 700);
        problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"{where} at 320 px: {v}"));
        problems.AddRange((await EveryPageTests.ReflowProblemsAsync(page)).Select(p => $"{where} at 320 px: {p}"));
        await page.SetViewportSizeAsync(1280, 720);
    }
}
