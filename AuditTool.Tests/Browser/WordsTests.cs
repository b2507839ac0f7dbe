using AuditTool.Domain.Templates;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>People read names, not keys: themes on the report, scales in the template editor, counts in words.</summary>
[Collection(BrowserCollection.Name)]
public class WordsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheReportsThemeChart_NamesThemes_NotTheirKeys()
    {
        var page = await fixture.SignInAsync("executive");
        await BrowserFixture.GotoAsync(page, "/reports/1");

        var chart = page.GetByTestId("theme-chart");
        await Assertions.Expect(chart).ToContainTextAsync("Voice of the child");
        await Assertions.Expect(chart).ToContainTextAsync("Cumulative harm");
        var text = await chart.InnerTextAsync();
        Assert.DoesNotContain("voice-of-child", text);
        Assert.DoesNotContain("cumulative-harm", text);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheTemplateEditor_NamesScales_AndSaysHowThemesAreShown()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");
        var key = $"words-{Guid.NewGuid().ToString("N")[..6]}";
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Words check");
        await page.GetByLabel("Key (e.g. neglect-audit)").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Words check", Level = 1 })).ToBeVisibleAsync();
        var addQuestion = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Add a question") });
        if (await addQuestion.CountAsync() == 0)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        }

        if (await page.Locator("select[id$='-scale']").CountAsync() == 0)
        {
            await addQuestion.First.ClickAsync();
        }

        var scale = page.Locator("select[id$='-scale']").First;
        await Assertions.Expect(scale.Locator("option")).ToContainTextAsync(["Ofsted grade (outstanding, good, requires improvement, inadequate)", "Yes, partly or no", "Red, amber or green"]);
        var themes = page.Locator("input[id$='-themes']").First;
        await themes.FillAsync("voice-of-child, family-network");
        await themes.BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid$='-theme-names']").First).ToHaveTextAsync("Shown to readers as: Voice of the child, Family network");
        await page.Context.CloseAsync();
    }

    [Fact]
    public void Counts_AreInWords_OneQuestion_TwoQuestions()
    {
        Assert.Equal("1 question", AuditTool.Web.Components.Shared.Plural.Of(1, "question"));
        Assert.Equal("2 questions", AuditTool.Web.Components.Shared.Plural.Of(2, "question"));
        Assert.Equal("3 agencies", AuditTool.Web.Components.Shared.Plural.Of(3, "agency", "agencies"));
        Assert.Equal("Trauma-informed practice", DisplayNames.Theme("trauma-informed"));
    }
}
