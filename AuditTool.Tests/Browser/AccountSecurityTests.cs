using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AccountSecurityTests(BrowserFixture fixture)
{
    [Fact]
    public async Task DisablingAnAccount_EndsItsOpenPage_WithinAMinute_AndItCannotSignInAgain()
    {
        var victim = await fixture.SignInAsync("youth-justice.auditor");
        var admin = await fixture.SignInAsync("admin");
        await BrowserFixture.GotoAsync(admin, "/admin/users");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Disable youth-justice.auditor" }).ClickAsync();
        await admin.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Row, new() { Name = "youth-justice.auditor" })).ToContainTextAsync("Disabled");

        // The open page learns within a minute (the test server re-checks every 5 seconds) and is sent to sign in.
        await Assertions.Expect(victim).ToHaveURLAsync(new Regex("/Account/SignIn"), new() { Timeout = 60_000 });
        var again = await fixture.NewPageAsync();
        await again.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(again, "youth-justice.auditor", BrowserFixture.DemoPassword);
        await Assertions.Expect(again.GetByTestId("signin-error")).ToContainTextAsync("disabled");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Enable youth-justice.auditor" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Row, new() { Name = "youth-justice.auditor" })).ToContainTextAsync("Active");
        await victim.Context.CloseAsync();
        await admin.Context.CloseAsync();
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_InTheBrowserToo()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        for (var i = 0; i < 5; i++)
        {
            // Each attempt waits for the server's new page: the previous attempt's message is already on this one.
            await BrowserFixture.SubmitSignInAsync(page, "stockton-social-care.auditor", $"not-the-password-{i}");
            await Assertions.Expect(page.GetByTestId("signin-error")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync("locked");
        await BrowserFixture.SubmitSignInAsync(page, "stockton-social-care.auditor", BrowserFixture.DemoPassword);
        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync("locked");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnIdleSession_IsSignedOut()
    {
        // A separate server whose idle timeout is six seconds.
        await using var app = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:IdleTimeoutMinutes"] = "0.1" });
        var page = await BrowserFixture.NewPageAsync(fixture.Browser, app.BaseUrl);
        await page.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(page, "executive", BrowserFixture.DemoPassword);
        // Signed in: the start page's address (its circuit may not even connect before the six seconds are up).
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn\\?idle=1$"));
        await Assertions.Expect(page.GetByText("You were signed out after a period without activity.")).ToBeVisibleAsync();
        await page.GotoAsync("/reports");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await page.Context.CloseAsync();
    }
}
