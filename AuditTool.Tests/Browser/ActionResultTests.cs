using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The result of an action appears where the action was and takes focus, so at 1280x800 it is on the screen (not below
/// the fold, not a toast in a corner over the page's status line).
/// </summary>
[Collection(BrowserCollection.Name)]
public class ActionResultTests(BrowserFixture fixture)
{
    [Fact]
    public async Task DrawingASample_FocusesTheResult_BelowTheDrawButton_OnScreen()
    {
        var planning = BrowserFixture.TestPackage("Result placement sample (browser)", "RP-001").Replace("\"status\": \"open\"", "\"status\": \"planning\"");
        var auditId = await fixture.ImportAuditAsync(planning);
        var page = await SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sample" }).ClickAsync();
        var csv = Path.Combine(fixture.App.Folder, $"placement-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "Case ref,Plan type\nRP-101,CP\nRP-102,CIN\nRP-103,CP\nRP-104,CP\n");
        await page.GetByLabel("Cohort CSV file (at most 20 MB)").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this cohort" }).ClickAsync();
        await page.GetByLabel("Sample size").FillAsync("");
        var draw = page.GetByRole(AriaRole.Button, new() { Name = "Draw the sample" });

        // A missing size is said beside the size field, which takes focus.
        await draw.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Sample size")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("sample-size-error")).ToHaveTextAsync("Give the sample size.");
        await OnScreen.AssertAsync(page, page.GetByTestId("sample-size-error"));

        await page.GetByLabel("Sample size").FillAsync("2");
        await draw.ClickAsync();
        var result = page.GetByTestId("sample-result");
        await Assertions.Expect(result).ToContainTextAsync("Added 2 cases");
        await Assertions.Expect(result).ToBeFocusedAsync();
        await OnScreen.AssertAsync(page, result);
        var button = (await draw.BoundingBoxAsync())!;
        var box = (await result.BoundingBoxAsync())!;
        Assert.True(box.Y > button.Y && box.Y - (button.Y + button.Height) < 200, $"The result is at y {box.Y}, the button at y {button.Y}: not beside it.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UploadingAWorkbookThatIsNotOne_FocusesTheProblems_UnderTheFileField_OnScreen()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Result placement workbook (browser)", "RP-201"));
        var page = await SignInAsync("police.auditor");
        var file = Path.Combine(fixture.App.Folder, $"not-a-workbook-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllTextAsync(file, "this is not a spreadsheet");

        await page.GetByLabel("Upload a filled workbook (.xlsx, at most 20 MB)").SetInputFilesAsync(file);

        var problems = page.GetByTestId("workbook-problems");
        await Assertions.Expect(problems).ToContainTextAsync("was not uploaded; nothing was saved");
        await Assertions.Expect(problems).ToBeFocusedAsync();
        await OnScreen.AssertAsync(page, problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CreatingAnAccount_SaysSoUnderTheForm_NotInAToast()
    {
        var page = await SignInAsync("admin");
        await BrowserFixture.GotoAsync(page, "/admin/users");
        var name = $"placement.{Guid.NewGuid().ToString("N")[..6]}";
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Role").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Independent scrutineer" }).ClickAsync();
        await page.GetByLabel("Password (at least 12 characters)").FillAsync("a long enough passphrase 2026");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create account" });

        await create.ClickAsync();

        var result = page.GetByTestId("user-result");
        await Assertions.Expect(result).ToHaveTextAsync($"Account created: {name}.");
        await Assertions.Expect(result).ToBeFocusedAsync();
        await OnScreen.AssertAsync(page, result);
        await Assertions.Expect(page.GetByText("Account created")).ToHaveCountAsync(1);
        var button = (await create.BoundingBoxAsync())!;
        var box = (await result.BoundingBoxAsync())!;
        Assert.True(box.Y > button.Y && box.Y < button.Y + 300, $"The result is at y {box.Y}, the button at y {button.Y}.");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> SignInAsync(string user)
    {
        var page = await fixture.SignInAsync(user);
        await page.SetViewportSizeAsync(1280, 800);
        return page;
    }
}
