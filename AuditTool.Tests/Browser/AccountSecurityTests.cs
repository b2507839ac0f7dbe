using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AccountSecurityTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
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
    public async Task ACookieCopiedBeforeSignOut_IsWorthNothingAfterIt()
    {
        var page = await fixture.SignInAsync("early-help.auditor");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "audittool.auth");
        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(fixture.App.BaseUrl) };
        async Task<System.Net.HttpStatusCode> ReplayAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", $"audittool.auth={cookie.Value}");
            using var response = await thief.SendAsync(request);
            return response.StatusCode;
        }

        // Audit 2 is the demo's open follow-up: early help has returns in it, so its workbook downloads.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, await ReplayAsync("/Account/KeepAlive"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await ReplayAsync("/audits/2/workbooks/early-help"));

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn\\?signedOut=1$"));

        Assert.NotEqual(System.Net.HttpStatusCode.NoContent, await ReplayAsync("/Account/KeepAlive"));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, await ReplayAsync("/audits/2/workbooks/early-help"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DisablingAnAccount_TakesItsOpenPageAway_AtOnce_NotAtTheNextRecheck()
    {
        // Open pages re-check their session only once an hour on this server: only the news of the change can explain
        // the page leaving within seconds.
        await using var app = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:RevalidationSeconds"] = "3600" });
        var victim = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "health.auditor");
        // The demo's open follow-up (step-down cases SD-...): the first of health's returns in it.
        var link = victim.Locator("[data-testid^='return-link-SD-']").First;
        var caseRef = (await link.TextContentAsync())!.Trim();
        await link.ClickAsync();
        await victim.WaitForURLAsync("**/returns/*");
        await Assertions.Expect(victim.GetByTestId("save-state")).ToBeAttachedAsync();
        await Assertions.Expect(victim.Locator("h1")).ToContainTextAsync(caseRef);
        var users = app.Services.GetRequiredService<AuditTool.Domain.Accounts.IUserRepository>();
        var admin = (await users.GetByUserNameAsync("admin"))!;
        var target = (await users.GetByUserNameAsync("health.auditor"))!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await app.Services.GetRequiredService<AuditTool.Domain.Accounts.UserAdminService>().SetDisabledAsync(
            new AuditTool.Domain.Security.Actor(admin.Id, admin.UserName, admin.Role, null), target.Id, disabled: true);

        await Assertions.Expect(victim).ToHaveURLAsync(new Regex("/Account/SignIn"), new() { Timeout = 20_000 });
        await Assertions.Expect(victim.GetByText(caseRef)).ToHaveCountAsync(0);
        output.WriteLine($"The disabled account's open page left {clock.ElapsedMilliseconds} ms after the disable.");
        await victim.Context.CloseAsync();
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
