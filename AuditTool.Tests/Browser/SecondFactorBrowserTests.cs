using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// A second factor as a person meets it, on a server whose scrutineers must use one: set up at the first sign-in with a
/// code the test computes from the key on the screen, no page reachable before that, a recovery code the next time, a
/// code used twice refused; the administrator sees the factor and resets it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecondFactorBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AScrutineer_SetsUpAnAuthenticator_AtFirstSignIn_AndCanDoNothingElseBefore()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:Mfa:RequiredRoles"] = "scrutineer,administrator" });

        // Password right, no factor yet: the set-up page, and no other page opens.
        var early = await BrowserFixture.NewPageAsync(fixture.Browser, app.BaseUrl);
        await early.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(early, "scrutineer", BrowserFixture.DemoPassword);
        await Assertions.Expect(early).ToHaveURLAsync(new Regex("/Account/SecondFactorSetUp"));
        await Assertions.Expect(early.GetByTestId("totp-qr")).ToBeVisibleAsync();
        await early.GotoAsync("/audits");
        await Assertions.Expect(early).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await early.Context.CloseAsync();

        var (page, codes) = await BrowserFixture.SignInSettingUpAuthenticatorAsync(fixture.Browser, app.BaseUrl, "scrutineer", BrowserFixture.DemoPassword);
        Assert.Equal(10, codes.Count);
        await BrowserFixture.GotoAsync(page, "/audits");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audits", Level = 1 })).ToBeVisibleAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));

        // The next time: a wrong code is refused, a recovery code signs in once.
        await BrowserFixture.SubmitSignInAsync(page, "scrutineer", BrowserFixture.DemoPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SecondFactor\\?"));
        await page.GetByLabel("Code").FillAsync("000000");
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page.GetByTestId("second-factor-error")).ToContainTextAsync("That code is not right");
        await page.GetByLabel("Code").FillAsync(codes[0]);
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("scrutineer");
        await page.Context.CloseAsync();

        // The administrator (set up too) sees the scrutineer's factor and resets it.
        var (admin, _) = await BrowserFixture.SignInSettingUpAuthenticatorAsync(fixture.Browser, app.BaseUrl, "admin", BrowserFixture.DemoPassword);
        await BrowserFixture.GotoAsync(admin, "/admin/users");
        await Assertions.Expect(admin.GetByTestId("second-factor-scrutineer")).ToHaveTextAsync("authenticator app, 9 recovery codes");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Reset the second factor of scrutineer" }).ClickAsync();
        await admin.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("second-factor-scrutineer")).ToContainTextAsync("none (required");
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task ACodeUsedAtSetUp_IsRefusedWhenGivenAgain()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:Mfa:RequiredRoles"] = "executive" });
        var page = await BrowserFixture.NewPageAsync(fixture.Browser, app.BaseUrl);
        await page.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(page, "executive", BrowserFixture.DemoPassword);
        var key = (await page.GetByTestId("totp-key").TextContentAsync())!;
        var code = BrowserFixture.TotpCode(key);
        await page.GetByLabel("Code from the app").FillAsync(code);
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Confirm the app" }));
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "I have kept my codes: continue" }));
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));

        await BrowserFixture.SubmitSignInAsync(page, "executive", BrowserFixture.DemoPassword);
        await page.GetByLabel("Code").FillAsync(code);
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));

        await Assertions.Expect(page.GetByTestId("second-factor-error")).ToContainTextAsync("used already");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SecondFactor"));
        await page.Context.CloseAsync();
    }
}
