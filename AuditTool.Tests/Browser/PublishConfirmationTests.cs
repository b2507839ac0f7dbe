using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>Before publishing, the scrutineer is told what is incomplete and asked; "cases audited" counts only cases with
/// a submitted return.</summary>
[Collection(BrowserCollection.Name)]
public class PublishConfirmationTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Publishing_SaysWhatIsIncomplete_AndAsks_ThenCountsOnlyCasesWithASubmittedReturn()
    {
        const string title = "Incomplete publication audit (browser)";
        var json = BrowserFixture.ModerationPackage(title, "PI-001", "PI-002");
        json = json.Replace("{ \"case\": \"PI-002\", \"agency\": \"police\", \"status\": \"submitted\"", "{ \"case\": \"PI-002\", \"agency\": \"police\", \"status\": \"in-progress\"")
            .Replace("{ \"case\": \"PI-002\", \"agency\": \"education\", \"status\": \"submitted\"", "{ \"case\": \"PI-002\", \"agency\": \"education\", \"status\": \"in-progress\"");
        var auditId = await fixture.ImportAuditAsync(json);
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/findings");
        await page.Locator("#new-finding-title").FillAsync("Practice was timely");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add finding" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("findings-save-state")).ToContainTextAsync("Added the finding");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(dialog).ToContainTextAsync("2 of 2 cases have no moderation");
        await Assertions.Expect(dialog).ToContainTextAsync("2 returns were never submitted and do not count");
        await Assertions.Expect(dialog).ToContainTextAsync("1 case has no submitted return and is not counted as audited");
        await Assertions.Expect(dialog).ToContainTextAsync("the strength “Practice was timely” has no linked question or theme");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Not yet" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the report" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Publish anyway" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("publish-result")).ToContainTextAsync("Published");
        await BrowserFixture.GotoAsync(page, $"/reports/{auditId}");
        await Assertions.Expect(page.GetByTestId("headline")).ToContainTextAsync(new Regex(@"\b1\s*case audited"));
        await page.Context.CloseAsync();
    }
}
