using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class TemplateDesignerTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Scrutineer_BuildsPreviewsPublishesAndVersionsATemplate()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");

        await CreateDraftAsync(page, "Neglect pilot audit", "neglect-pilot");

        // Section 1 for every agency: a question, and a second shown only when the first is answered "yes".
        // Each edit is saved when the field is left (Tab), one save after another; each step waits for what it adds.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await page.GetByLabel("Section 1 title").FillAsync("Seeing the child");
        await page.GetByLabel("Section 1 title").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        var first = page.GetByTestId("question-question-1");
        await first.GetByLabel("Question text").FillAsync("Was the child seen alone?");
        await first.GetByLabel("Question text").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        var second = page.GetByTestId("question-question-2");
        await second.GetByLabel("Question text").FillAsync("Were the child's own words recorded?");
        await second.GetByLabel("Question text").PressAsync("Tab");
        // The condition offers the first question by its text: the server has the text typed above.
        await Assertions.Expect(second.GetByLabel("Show only when").Locator("option[value='question-1']")).ToHaveTextAsync("question-1: Was the child seen alone?");
        await second.GetByLabel("Show only when").SelectOptionAsync("question-1");
        await second.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(second.GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();

        // Section 2 for education only.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await page.GetByLabel("Section 2 title").FillAsync("Attendance");
        await page.GetByLabel("Section 2 title").PressAsync("Tab");
        await page.GetByTestId("section-1").GetByLabel("Education").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 2" }).ClickAsync();
        var third = page.GetByTestId("question-question-3");
        await third.GetByLabel("Question text").FillAsync("Was low attendance treated as a safeguarding concern?");
        await third.GetByLabel("Question text").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("All changes saved at");

        // Preview as police: the education section is hidden; the conditional question appears only after "Yes".
        await page.GetByRole(AriaRole.Tab, new() { Name = "Preview" }).ClickAsync();
        var preview = page.GetByTestId("preview");
        await page.GetByLabel("Preview as").SelectOptionAsync("police");
        await Assertions.Expect(preview.GetByText("Was the child seen alone?")).ToBeVisibleAsync();
        await Assertions.Expect(preview.GetByText("Were the child's own words recorded?")).ToHaveCountAsync(0);
        await Assertions.Expect(preview.GetByText("Was low attendance treated as a safeguarding concern?")).ToHaveCountAsync(0);
        await preview.Locator("[data-question='question-1']").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(preview.GetByText("Were the child's own words recorded?")).ToBeVisibleAsync();
        await preview.Locator("[data-question='question-1']").GetByLabel("No", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(preview.GetByText("Were the child's own words recorded?")).ToHaveCountAsync(0);

        // Preview as education: its own section appears.
        await page.GetByLabel("Preview as").SelectOptionAsync("education");
        await Assertions.Expect(preview.GetByText("Was low attendance treated as a safeguarding concern?")).ToBeVisibleAsync();
        await Assertions.Expect(preview.GetByText("Were the child's own words recorded?")).ToHaveCountAsync(0);

        // Publish.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Check and publish" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("No problems found");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish this version" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("version-status")).ToHaveTextAsync("published");
        var publishedUrl = page.Url;

        // Version 2 starts as a draft copy that keeps every key.
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a new version" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(publishedUrl);
        await Assertions.Expect(page.GetByTestId("version-status")).ToHaveTextAsync("draft");
        await Assertions.Expect(page.GetByText("version 2")).ToBeVisibleAsync();
        foreach (var key in new[] { "question-1", "question-2", "question-3" })
        {
            await Assertions.Expect(page.GetByTestId("question-" + key)).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByTestId("question-question-2").GetByLabel("Show only when")).ToHaveValueAsync("question-1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Designer_ListsWhatStopsPublishing_InPlainEnglish()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");
        await CreateDraftAsync(page, "Half-built audit", "half-built");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("question-question-1")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Check and publish" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Check and publish" })).ToHaveAttributeAsync("aria-selected", "true");

        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("Question \"question-1\" has no text.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish this version" })).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAuthorNamesEachThemeTheQuestionsUse_TheNameIsShownBesideTheQuestion_AndKeptWithTheVersion()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");
        await CreateDraftAsync(page, "Home conditions check", "home-conditions-check");
        var themes = page.GetByTestId("theme-names");
        await Assertions.Expect(themes).ToContainTextAsync("No question has a theme yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await page.GetByLabel("Section 1 title").FillAsync("The home");
        await page.GetByLabel("Section 1 title").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        var question = page.GetByTestId("question-question-1");
        await question.GetByLabel("Question text").FillAsync("Were the conditions of the home seen and recorded?");
        await question.GetByLabel("Question text").PressAsync("Tab");
        await question.GetByLabel("Themes (comma separated, e.g. voice-of-child, step-down)").FillAsync("voice-of-child, home-conditions");
        await question.GetByLabel("Themes (comma separated, e.g. voice-of-child, step-down)").PressAsync("Tab");

        // A field per theme in use, in the order the questions use them, each saying what readers see until it is named.
        await Assertions.Expect(themes.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(2);
        var name = themes.GetByLabel("Theme “home-conditions”");
        await Assertions.Expect(name).ToHaveValueAsync("");
        await Assertions.Expect(themes.GetByTestId("theme-name-home-conditions")).ToContainTextAsync("Shown as: Home conditions (the built-in name)");
        await Assertions.Expect(themes.GetByTestId("theme-name-voice-of-child")).ToContainTextAsync("Shown as: Voice of the child (the built-in name)");
        await name.FillAsync("Living conditions at home");
        await name.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("All changes saved at");
        await Assertions.Expect(themes.GetByTestId("theme-name-home-conditions")).ToContainTextAsync("Shown as: Living conditions at home");
        await Assertions.Expect(question.GetByTestId("s0q0-theme-names")).ToHaveTextAsync("Shown to readers as: Voice of the child, Living conditions at home");

        // Kept with the draft: the page read again shows it, and the stored version carries it.
        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("theme-names").GetByLabel("Theme “home-conditions”")).ToHaveValueAsync("Living conditions at home");
        var versionId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var stored = await fixture.App.Services.GetRequiredService<AuditTool.Domain.Templates.ITemplateRepository>().GetVersionAsync(versionId);
        Assert.Equal("Living conditions at home", stored!.ThemeNames["home-conditions"]);
        Assert.False(stored.ThemeNames.ContainsKey("voice-of-child"));

        // Cleared, the built-in name is back.
        await page.GetByTestId("theme-names").GetByLabel("Theme “home-conditions”").FillAsync("");
        await page.GetByTestId("theme-names").GetByLabel("Theme “home-conditions”").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("theme-name-home-conditions")).ToContainTextAsync("Shown as: Home conditions (the built-in name)");
        var problems = (await BrowserFixture.SeriousAxeViolationsAsync(page)).ToList();
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Creates a draft from the library page: title and key reach the server as typed, so the click follows at once.</summary>
    [Fact]
    public async Task AKeyAnotherTemplateUsesForADifferentQuestion_IsWarnedOf_UntilTheQuestionHasItsOwnKey()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");
        await CreateDraftAsync(page, "Named lead check", "named-lead-check");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await page.GetByLabel("Section 1 title").FillAsync("Leadership");
        await page.GetByLabel("Section 1 title").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a question to section 1" }).ClickAsync();
        var question = page.GetByTestId("question-question-1");
        await question.GetByLabel("Question text").FillAsync("Does the school have a named safeguarding lead?");
        await question.GetByLabel("Question text").PressAsync("Tab");
        // The shipped education template asks about attendance under this key.
        await question.GetByLabel("Key (stable across versions)").FillAsync("attendance-percent");
        await question.GetByLabel("Key (stable across versions)").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("All changes saved at");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Check and publish" }).ClickAsync();
        var warning = page.GetByTestId("same-key-warnings");
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync("The key \"attendance-percent\"");
        await Assertions.Expect(warning).ToContainTextAsync("Children disengaged from education");
        await Assertions.Expect(warning).ToContainTextAsync("What was the child's attendance (%) over the audit period?");
        // A warning, not a problem: publishing stays possible.
        await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("No problems found");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish this version" })).ToBeEnabledAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Design" }).ClickAsync();
        var key = page.GetByTestId("question-attendance-percent").GetByLabel("Key (stable across versions)");
        await key.FillAsync("named-safeguarding-lead");
        await key.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("All changes saved at");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Check and publish" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("check-result")).ToContainTextAsync("No problems found");
        await Assertions.Expect(page.GetByTestId("same-key-warnings")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private static async Task CreateDraftAsync(IPage page, string title, string key)
    {
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Key (e.g. neglect-audit)").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        // Expect polls the page's address. WaitForURLAsync checks the address and then starts listening for navigations,
        // so the app's own navigation (pushState right after the click) could fall between the two and never be seen.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/templates/versions/[0-9]+$"));

        await Assertions.Expect(page.GetByTestId("version-status")).ToHaveTextAsync("draft");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
    }
}
