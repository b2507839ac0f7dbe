using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class PublishReportTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AnActionDueInThePast_IsAskedAboutFirst_AndAddedOnlyOnceConfirmed()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Overdue action audit (browser)", "OA-001"));
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/findings");
        await page.GetByLabel("Action", new() { Exact = true }).FillAsync("Relaunch the escalation protocol");
        await page.GetByLabel("Due date").FillAsync("2024-12-02");
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Add action" });
        var dialog = page.GetByRole(AriaRole.Alertdialog);

        await add.ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("The due date 2 December 2024 is in the past. Use it anyway?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change the date" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("actions-table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Due date")).ToHaveValueAsync("2024-12-02");

        await add.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use it anyway" }).ClickAsync();
        var row = page.GetByTestId("actions-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "Relaunch the escalation protocol" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("2 Dec 2024 overdue");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Scrutineer_ModeratesCuratesAndPublishes_ExecutiveReadsTheReport_ButNoCase()
    {
        string[] refs = ["PR-001", "PR-002", "PR-003", "PR-004", "PR-005", "PR-006"];
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Voice of the child audit (browser)", refs));
        var page = await fixture.SignInAsync("scrutineer");

        // Moderate two cases.
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/moderation");
        foreach (var caseRef in new[] { "PR-001", "PR-002" })
        {
            var cases = page.GetByLabel("Case", new() { Exact = true });
            await cases.SelectOptionAsync(new SelectOptionValue { Label = $"{caseRef} (2 of 2 submitted, 0 moderated)" });
            // The chosen case's returns are on the page (every case's education return says "Requires improvement").
            await Assertions.Expect(page.GetByTestId("moderation-table").Locator("caption")).ToContainTextAsync($"Case {caseRef}:");
            var row = page.GetByTestId("moderation-overall");
            await Assertions.Expect(row).ToContainTextAsync("Requires improvement");
            await row.GetByLabel("Moderated grade").SelectOptionAsync("good");
            await row.GetByLabel("Rationale").FillAsync($"Direct work with the child is evidenced in {caseRef}.");
            await row.GetByRole(AriaRole.Button, new() { Name = "Save moderation of overall" }).ClickAsync();
            await Assertions.Expect(cases.Locator("option:checked")).ToHaveTextAsync($"{caseRef} (2 of 2 submitted, 1 moderated)");
            await Assertions.Expect(page.GetByTestId("moderated-overall")).ToHaveTextAsync("Moderated: Good");
        }

        await Assertions.Expect(page.GetByTestId("agreement")).ToContainTextAsync("50% of 4 grades agree");

        // Curate: keep a proposal, reword it, add an action, publish.
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/findings");
        var saved = page.GetByTestId("findings-save-state");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep: Overall, how good was this agency's practice?" }).ClickAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Kept “Overall, how good was this agency's practice?” as a finding.");
        var finding = page.Locator("[data-testid^='finding-']").First;
        // A finding's fields are saved when they are left; the status line names each save as it comes back.
        await finding.GetByLabel("Title").FillAsync("Practice graded good by half of agencies");
        await finding.GetByLabel("Title").BlurAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Saved the title of “Practice graded good by half of agencies”");
        await finding.GetByLabel("Narrative").FillAsync("Police practice was consistently good; schools' was not.");
        await finding.GetByLabel("Narrative").BlurAsync();
        await Assertions.Expect(saved).ToContainTextAsync("Saved the narrative of “Practice graded good by half of agencies”");
        await page.GetByLabel("Action", new() { Exact = true }).FillAsync("Schools to record direct work with the child");
        await page.GetByLabel("Owner agency").SelectOptionAsync(new SelectOptionValue { Label = "Schools and Education Services" });
        await page.GetByLabel("Due date").FillAsync(BrowserFixture.DaysAhead(120)); // ahead of today: no "in the past" question
        await page.GetByRole(AriaRole.Button, new() { Name = "Add action" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("actions-table")).ToContainTextAsync("Schools to record direct work with the child");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" }).ClickAsync();
        // Publishing says first what is incomplete (here: the cases left without a moderated judgement) and asks.
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Publish( anyway)?$") }).ClickAsync();
        await Assertions.Expect(page.GetByText("The report is published: the findings are frozen.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // The executive reads it: headline, findings, actions and charts; no case reference or evidence anywhere.
        var executive = await fixture.SignInAsync("executive");
        await BrowserFixture.GotoAsync(executive, "/reports");
        await executive.GetByRole(AriaRole.Link, new() { Name = "Voice of the child audit (browser)" }).ClickAsync();
        await Assertions.Expect(executive.GetByTestId("headline")).ToContainTextAsync("6");
        await Assertions.Expect(executive.GetByTestId("headline")).ToContainTextAsync("12 of 12");
        var findings = executive.GetByTestId("strengths").Or(executive.GetByTestId("developments"));
        await Assertions.Expect(findings.First).ToContainTextAsync("Practice graded good by half of agencies");
        await Assertions.Expect(executive.GetByTestId("actions")).ToContainTextAsync("Schools to record direct work with the child");
        await Assertions.Expect(executive.GetByTestId("grade-chart").First.GetByTestId("stack-part").First).ToBeVisibleAsync();
        await Assertions.Expect(executive.GetByTestId("agency-chart").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(executive.GetByTestId("theme-chart").Locator("svg").First).ToBeVisibleAsync();
        var text = await executive.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("PR-00", text);
        Assert.DoesNotContain("Secret evidence", text);
        var axe = await BrowserFixture.SeriousAxeViolationsAsync(executive);
        Assert.True(axe.Count == 0, string.Join("\n", axe));

        // Case pages are refused, by address.
        // Refused by the server with the static refusal page: no circuit to wait for.
        await executive.GotoAsync("/returns/1");
        await Assertions.Expect(executive.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await executive.GotoAsync($"/audits/{auditId}/moderation");
        await Assertions.Expect(executive.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await executive.Context.CloseAsync();
    }
}
