using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AuditPlanningTests(BrowserFixture fixture)
{
    private const string Cohort = """
        Case ref,Locality,Age,Attendance %,Suspension days,SEND
        DD-101,Hartlepool,14,62,0,SEN support
        DD-102,Stockton,15,88,6,SEN support
        DD-103,Stockton,13,95,0,None
        DD-104,Hartlepool,12,70,1,SEN support
        DD-105,Stockton,16,71,5,EHCP
        DD-106,Hartlepool,14,40,9,SEN support
        DD-107,Stockton,15,99,0,SEN support
        DD-108,Hartlepool,13,55,2,None
        """;

    [Fact]
    public async Task Scrutineer_ImportsACohort_Samples_Assigns_AndOpensTheAudit()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/audits/new");
        await page.GetByLabel("Title").FillAsync("Disengagement from education deep dive (browser)");
        await page.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "Deep dive" });
        await page.GetByLabel("Template version").SelectOptionAsync(new SelectOptionValue { Label = "Children disengaged from education (post-review deep dive), version 1 (24 questions)" });
        await page.GetByLabel("Deadline for returns").FillAsync(BrowserFixture.DaysAhead(28));
        var agencies = page.GetByRole(AriaRole.Group, new() { Name = "Participating agencies" });
        foreach (var uncheck in new[] { "Early Help Services", "Youth Justice Service", "North East and North Cumbria Integrated Care Board" })
        {
            await agencies.GetByLabel(uncheck).UncheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create the audit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audits/[0-9]+$"));
        await Assertions.Expect(page.GetByTestId("audit-status")).ToHaveTextAsync("Planning");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Disengagement from education deep dive (browser)", Level = 1 })).ToBeVisibleAsync();

        // Import the cohort list.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sample" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Sample" })).ToHaveAttributeAsync("aria-selected", "true");
        var csv = Path.Combine(fixture.App.Folder, "cohort.csv");
        await File.WriteAllTextAsync(csv, Cohort);
        await page.GetByLabel("Cohort CSV file (at most 20 MB)").SetInputFilesAsync(csv);
        await Assertions.Expect(page.GetByTestId("cohort-preview")).ToContainTextAsync("8 cases");
        await Assertions.Expect(page.GetByLabel("Which column holds the case reference?")).ToHaveValueAsync("Case ref");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this cohort" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("cohort-summary")).ToContainTextAsync("8 cases");

        // (attendance at most 70 or suspension days at least 5) and SEND equals "SEN support": 4 of 8.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an 'and' group" }).ClickAsync();
        var group1 = page.GetByTestId("group-0");
        await group1.GetByLabel("Attribute").SelectOptionAsync("Attendance %");
        await group1.GetByLabel("Test").SelectOptionAsync("AtMost");
        await group1.GetByLabel("Value").FillAsync("70");
        await group1.GetByLabel("Value").BlurAsync();
        await Assertions.Expect(page.GetByTestId("match-count")).ToContainTextAsync("4 of 8 cases match");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an or condition to group 1" }).ClickAsync();
        var second = group1.Locator(".designer-row").Nth(1);
        await second.GetByLabel("Attribute").SelectOptionAsync("Suspension days");
        await second.GetByLabel("Test").SelectOptionAsync("AtLeast");
        await second.GetByLabel("Value").FillAsync("5");
        await second.GetByLabel("Value").BlurAsync();
        await Assertions.Expect(page.GetByTestId("match-count")).ToContainTextAsync("6 of 8 cases match");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an 'and' group" }).ClickAsync();
        var group2 = page.GetByTestId("group-1");
        await group2.GetByLabel("Attribute").SelectOptionAsync("SEND");
        await group2.GetByLabel("Value").FillAsync("SEN support");
        await group2.GetByLabel("Value").BlurAsync();
        await Assertions.Expect(page.GetByTestId("match-count")).ToContainTextAsync("4 of 8 cases match");

        await page.GetByLabel("Sample size").FillAsync("3");
        await page.GetByLabel("Seed (recorded; the same seed gives the same sample)").FillAsync("20261122");
        await page.GetByRole(AriaRole.Button, new() { Name = "Draw the sample" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("sample-result")).ToContainTextAsync("Added 3 cases");
        await Assertions.Expect(page.GetByTestId("sample-record")).ToContainTextAsync("seed 20261122");
        var added = await page.GetByTestId("sample-result").InnerTextAsync();
        var refs = added[(added.LastIndexOf(':') + 1)..].Split(',', StringSplitOptions.TrimEntries);
        Assert.All(refs, r => Assert.Contains(r, new[] { "DD-101", "DD-102", "DD-104", "DD-106" }));

        // Assign: the first case needs no police return.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Cases and agencies" }).ClickAsync();
        var saved = page.GetByTestId("cases-save-state");
        await page.GetByLabel($"{refs[0]}: return from Cleveland Police").UncheckAsync();
        await Assertions.Expect(saved).ToContainTextAsync($"Saved: {refs[0]} no longer asks Cleveland Police for a return.");
        await Assertions.Expect(page.GetByLabel($"{refs[0]}: return from Cleveland Police")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel($"{refs[0]}: auditor from Cleveland Police")).ToHaveCountAsync(0);
        await page.GetByLabel($"{refs[1]}: auditor from Cleveland Police").SelectOptionAsync(new SelectOptionValue { Label = "Demo auditor, Cleveland Police" });
        await Assertions.Expect(saved).ToContainTextAsync($"Saved: {refs[1]}: auditor from Cleveland Police is Demo auditor, Cleveland Police.");
        await Assertions.Expect(page.GetByLabel($"{refs[1]}: auditor from Cleveland Police")).ToHaveValueAsync(new Regex("^[0-9]+$"));

        // Open: the scrutineer is told first what opening does (11 returns from 4 agencies on 3 cases, every auditor notified).
        await page.GetByRole(AriaRole.Button, new() { Name = "Open for returns" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(confirm).ToContainTextAsync("11 returns from 4 agencies on 3 cases are asked for by");
        await Assertions.Expect(confirm).ToContainTextAsync("every auditor with a return is sent a notice by e-mail");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Open and notify the auditors" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-status")).ToHaveTextAsync("Open for returns");
        await Assertions.Expect(page.GetByTestId("audit-result")).ToHaveTextAsync("The audit is open: auditors have been sent a notice and see their returns.");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Progress" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("progress-grid")).ToContainTextAsync("0 of 11 submitted");
        await page.Context.CloseAsync();

        // The police auditor now sees the two sampled cases that ask for a police return, and not the third.
        var police = await fixture.SignInAsync("police.auditor");
        await Assertions.Expect(police.GetByTestId($"return-link-{refs[1]}")).ToBeVisibleAsync();
        await Assertions.Expect(police.GetByTestId($"return-link-{refs[2]}")).ToBeVisibleAsync();
        await Assertions.Expect(police.GetByTestId($"return-link-{refs[0]}")).ToHaveCountAsync(0);
        await police.Context.CloseAsync();
    }

    [Fact]
    public async Task DrawingASample_KeepsTheScrutineersWords_AndShowsTheFilterBesideThem()
    {
        const string words = "Children on a child protection plan for neglect in the last year";
        var page = await fixture.SignInAsync("scrutineer");
        await CreateAsync(page, "Neglect deep dive (browser, words)", BrowserFixture.DaysAhead(28), words);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sample" }).ClickAsync();
        var csv = Path.Combine(fixture.App.Folder, "neglect-cohort.csv");
        await File.WriteAllTextAsync(csv, "Case ref,Plan type\nNG-101,CP\nNG-102,CIN\nNG-103,CP\nNG-104,CP\n");
        await page.GetByLabel("Cohort CSV file (at most 20 MB)").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this cohort" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("cohort-summary")).ToContainTextAsync("4 cases");
        await Assertions.Expect(page.GetByTestId("sample-words")).ToHaveTextAsync($"Sample criteria: {words}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add an 'and' group" }).ClickAsync();
        var group = page.GetByTestId("group-0");
        await group.GetByLabel("Attribute").SelectOptionAsync("Plan type");
        await group.GetByLabel("Value").FillAsync("CP");
        await group.GetByLabel("Value").BlurAsync();
        await Assertions.Expect(page.GetByTestId("match-count")).ToContainTextAsync("3 of 4 cases match");
        await page.GetByLabel("Sample size").FillAsync("2");
        await page.GetByLabel("Seed (recorded; the same seed gives the same sample)").FillAsync("4242");
        await page.GetByRole(AriaRole.Button, new() { Name = "Draw the sample" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("sample-result")).ToContainTextAsync("Added 2 cases");
        await Assertions.Expect(page.GetByTestId("sample-record")).ToContainTextAsync("Filter used for the draw: Plan type equals \"CP\", 2 of 4 cases, seed 4242");
        await Assertions.Expect(page.GetByTestId("sample-words")).ToHaveTextAsync($"Sample criteria: {words}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Plan" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Sample criteria in words")).ToHaveValueAsync(words);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanningWithAPastDeadline_AsksFirst_AndSavesTheAuditOnlyOnceConfirmed()
    {
        const string title = "Past deadline audit (browser)";
        var page = await fixture.SignInAsync("scrutineer");
        await FillNewAuditAsync(page, title, "2024-12-02", "Hand picked");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create the audit" });
        var dialog = page.GetByRole(AriaRole.Alertdialog);

        await create.ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("The deadline 2 December 2024 is in the past. Use it anyway?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change the date" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audits/new$"));
        await Assertions.Expect(page.GetByLabel("Deadline for returns")).ToHaveValueAsync("2024-12-02");

        await create.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use it anyway" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audits/[0-9]+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Plan" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Deadline for returns")).ToHaveValueAsync("2024-12-02");

        // Saved once: the first, called-off attempt saved nothing.
        await BrowserFixture.GotoAsync(page, "/audits");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OpeningWithoutADeadline_SaysToSetOne_AndTheAuditStaysInPlanning()
    {
        var package = BrowserFixture.TestPackage("No deadline audit (browser)", "ND-001").Replace("\"status\": \"open\"", "\"status\": \"planning\"");
        var auditId = await fixture.ImportAuditAsync(package);
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}");
        await Assertions.Expect(page.GetByTestId("audit-status")).ToHaveTextAsync("Planning");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open for returns" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Open and notify the auditors" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("audit-errors"))
            .ToContainTextAsync("Set a deadline before opening the audit: auditors are told it when the audit opens.");
        await Assertions.Expect(page.GetByTestId("audit-status")).ToHaveTextAsync("Planning");
        await page.Context.CloseAsync();
    }

    private static async Task FillNewAuditAsync(IPage page, string title, string deadline, string words)
    {
        await BrowserFixture.GotoAsync(page, "/audits/new");
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Template version").SelectOptionAsync(new SelectOptionValue { Label = "Children disengaged from education (post-review deep dive), version 1 (24 questions)" });
        await page.GetByLabel("Deadline for returns").FillAsync(deadline);
        await page.GetByLabel("Sample criteria in words").FillAsync(words);
    }

    private static async Task CreateAsync(IPage page, string title, string deadline, string words)
    {
        await FillNewAuditAsync(page, title, deadline, words);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the audit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audits/[0-9]+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task CohortSavedAsLatin1_IsRefused_NamingTheFirstLineThatIsNotUtf8()
    {
        var planning = BrowserFixture.TestPackage("Cohort encoding check", "CE-001").Replace("\"status\": \"open\"", "\"status\": \"planning\"");
        var auditId = await fixture.ImportAuditAsync(planning);
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sample" }).ClickAsync();
        var csv = Path.Combine(fixture.App.Folder, "latin1-cohort.csv");
        await File.WriteAllBytesAsync(csv, System.Text.Encoding.Latin1.GetBytes("Case ref,Locality\nDD-201,Stockton\nDD-202,Yarm \u00e9cole\n"));

        await page.GetByLabel("Cohort CSV file (at most 20 MB)").SetInputFilesAsync(csv);

        await Assertions.Expect(page.GetByTestId("sample-errors")).ToContainTextAsync("latin1-cohort.csv: Line 3 is not UTF-8 text: save the file as CSV UTF-8");
        await Assertions.Expect(page.GetByTestId("cohort-preview")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
