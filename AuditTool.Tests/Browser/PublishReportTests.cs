using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class PublishReportTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Scrutineer_ModeratesCuratesAndPublishes_ExecutiveReadsTheReport_ButNoCase()
    {
        string[] refs = ["PR-001", "PR-002", "PR-003", "PR-004", "PR-005", "PR-006"];
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Voice of the child audit (browser)", refs));
        var page = await fixture.SignInAsync("scrutineer");

        // Moderate two cases.
        await page.GotoAsync($"/audits/{auditId}/moderation");
        foreach (var caseRef in new[] { "PR-001", "PR-002" })
        {
            await page.GetByLabel("Case", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"{caseRef} (2 of 2 submitted, 0 moderated)" });
            var row = page.GetByTestId("moderation-overall");
            await Assertions.Expect(row).ToContainTextAsync("Requires improvement");
            await row.GetByLabel("Moderated grade").SelectOptionAsync("good");
            await row.GetByLabel("Rationale").FillAsync($"Direct work with the child is evidenced in {caseRef}.");
            await row.GetByLabel("Rationale").BlurAsync();
            await row.GetByRole(AriaRole.Button, new() { Name = "Save moderation of overall" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("moderated-overall")).ToHaveTextAsync("Moderated: Good");
        }

        await Assertions.Expect(page.GetByTestId("agreement")).ToContainTextAsync("50% of 4 grades agree");

        // Curate: keep a proposal, reword it, add an action, publish.
        await page.GotoAsync($"/audits/{auditId}/findings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep: Overall, how good was this agency's practice?" }).ClickAsync();
        var finding = page.Locator("[data-testid^='finding-']").First;
        await finding.GetByLabel("Title").FillAsync("Practice graded good by half of agencies");
        await finding.GetByLabel("Title").BlurAsync();
        await finding.GetByLabel("Narrative").FillAsync("Police practice was consistently good; schools' was not.");
        await finding.GetByLabel("Narrative").BlurAsync();
        await page.GetByLabel("Action", new() { Exact = true }).FillAsync("Schools to record direct work with the child");
        await page.GetByLabel("Owner agency").SelectOptionAsync(new SelectOptionValue { Label = "Schools and Education Services" });
        await page.GetByLabel("Due date").FillAsync("2027-03-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add action" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("actions-table")).ToContainTextAsync("Schools to record direct work with the child");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("The report is published: the findings are frozen.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // The executive reads it: headline, findings, actions and charts; no case reference or evidence anywhere.
        var executive = await fixture.SignInAsync("executive");
        await executive.GotoAsync("/reports");
        await executive.GetByRole(AriaRole.Link, new() { Name = "Voice of the child audit (browser)" }).ClickAsync();
        await Assertions.Expect(executive.GetByTestId("headline")).ToContainTextAsync("6");
        await Assertions.Expect(executive.GetByTestId("headline")).ToContainTextAsync("12 of 12");
        var findings = executive.GetByTestId("strengths").Or(executive.GetByTestId("developments"));
        await Assertions.Expect(findings.First).ToContainTextAsync("Practice graded good by half of agencies");
        await Assertions.Expect(executive.GetByTestId("actions")).ToContainTextAsync("Schools to record direct work with the child");
        await Assertions.Expect(executive.GetByTestId("grade-chart").First.Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(executive.GetByTestId("agency-chart").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(executive.GetByTestId("theme-chart").Locator("svg").First).ToBeVisibleAsync();
        var text = await executive.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("PR-00", text);
        Assert.DoesNotContain("Secret evidence", text);
        var axe = await BrowserFixture.SeriousAxeViolationsAsync(executive);
        Assert.True(axe.Count == 0, string.Join("\n", axe));

        // Case pages are refused, by address.
        await executive.GotoAsync("/returns/1");
        await Assertions.Expect(executive.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await executive.GotoAsync($"/audits/{auditId}/moderation");
        await Assertions.Expect(executive.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await executive.Context.CloseAsync();
    }
}
