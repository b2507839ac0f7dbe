using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// A form that cannot be saved shows every problem at once, each beside its field (aria-invalid and a message the field
/// is described by), and moves focus to the first: at 1280x800 the person sees the message without scrolling after
/// clicking the button at the bottom of the form.
/// </summary>
[Collection(BrowserCollection.Name)]
public class FormProblemsTests(BrowserFixture fixture)
{
    private const int Width = 1280;
    private const int Height = 800;

    [Fact]
    public async Task PlanAnAudit_Empty_MarksEveryField_FocusesTheTitle_AndItsMessageIsOnScreen()
    {
        var page = await SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/audits/new");
        await page.GetByLabel("Strength at or above (share, e.g. 0.80)").FillAsync("1.5");
        await page.GetByLabel("Minimum answers to judge").FillAsync("0");
        await page.GetByLabel("Minimum answers to judge").BlurAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create the audit" }).ClickAsync();

        var title = page.GetByLabel("Title");
        await Assertions.Expect(title).ToBeFocusedAsync();
        await Assertions.Expect(title).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(title).ToHaveAccessibleDescriptionAsync("Give the audit a title.");
        await OnScreen.AssertAsync(page, page.GetByTestId("plan-title-error"));
        await OnScreen.AssertAsync(page, title);
        // Every other problem at once, each beside its own field.
        await Assertions.Expect(page.GetByLabel("Template version")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("plan-template-error")).ToContainTextAsync("Choose a published template version");
        await Assertions.Expect(page.GetByLabel("Strength at or above (share, e.g. 0.80)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("plan-strength-error")).ToContainTextAsync("Thresholds are shares between 0 and 1");
        await Assertions.Expect(page.GetByTestId("plan-minimum-error")).ToHaveTextAsync("The minimum count is at least 1.");
        await Assertions.Expect(page.GetByLabel("Purpose")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("plan-errors")).ToContainTextAsync("4 things to put right");

        // Put right the first: focus moves to the next problem, which is scrolled onto the screen too.
        await title.FillAsync("Form check audit (browser)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the audit" }).ClickAsync();
        var template = page.GetByLabel("Template version");
        await Assertions.Expect(template).ToBeFocusedAsync();
        await Assertions.Expect(title).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await OnScreen.AssertAsync(page, page.GetByTestId("plan-template-error"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StartATemplate_Empty_MarksTitleAndKey_AndFocusesTheTitle()
    {
        var page = await SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/templates");
        await page.GetByLabel("Key (e.g. neglect-audit)").FillAsync("Not A Key");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();

        var title = page.GetByLabel("Title", new() { Exact = true });
        await Assertions.Expect(title).ToBeFocusedAsync();
        await Assertions.Expect(title).ToHaveAccessibleDescriptionAsync("Give the template a title.");
        await Assertions.Expect(page.GetByLabel("Key (e.g. neglect-audit)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("new-key-error")).ToContainTextAsync("A template key is up to 64 lowercase letters");
        await OnScreen.AssertAsync(page, page.GetByTestId("new-title-error"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AddAFinding_WithoutATitle_FocusesTheTitleAtTheBottomOfThePage_AndShowsWhy()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Form check findings (browser)", "FP-001", "FP-002"));
        var page = await SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/findings");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add finding" }).ClickAsync();

        var title = page.Locator("#new-finding-title");
        await Assertions.Expect(title).ToBeFocusedAsync();
        await Assertions.Expect(title).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("new-finding-title-error")).ToHaveTextAsync("Give the finding a title.");
        await OnScreen.AssertAsync(page, page.GetByTestId("new-finding-title-error"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Add action" }).ClickAsync();
        var action = page.GetByLabel("Action", new() { Exact = true });
        await Assertions.Expect(action).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("action-description-error")).ToHaveTextAsync("Describe the action.");
        await OnScreen.AssertAsync(page, page.GetByTestId("action-description-error"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CreateAnAccount_Empty_MarksUserNameAndPassword_AndFocusesTheUserName()
    {
        var page = await SignInAsync("admin");
        await BrowserFixture.GotoAsync(page, "/admin/users");
        await page.GetByLabel("E-mail address (optional)").FillAsync("not an address");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        var userName = page.GetByLabel("User name");
        await Assertions.Expect(userName).ToBeFocusedAsync();
        await Assertions.Expect(userName).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("user-name-error")).ToContainTextAsync("A user name is 2 to 64 letters");
        await Assertions.Expect(page.GetByTestId("user-email-error")).ToContainTextAsync("is not an e-mail address");
        await Assertions.Expect(page.GetByTestId("user-password-error")).ToContainTextAsync("A password must be at least");
        await Assertions.Expect(page.GetByLabel("Password (at least 12 characters)")).ToHaveAttributeAsync("aria-invalid", "true");
        await OnScreen.AssertAsync(page, page.GetByTestId("user-name-error"));
        await page.Context.CloseAsync();
    }

    private async Task<IPage> SignInAsync(string user)
    {
        var page = await fixture.SignInAsync(user);
        await page.SetViewportSizeAsync(Width, Height);
        return page;
    }
}
