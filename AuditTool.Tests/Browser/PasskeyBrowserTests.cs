using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Passkeys as a person uses them, in Chromium with its DevTools virtual authenticator (a platform authenticator that
/// keeps discoverable credentials and verifies the person): set up instead of an authenticator app when the role needs
/// a second factor, then the second factor after the password, then a sign-in with no password at all; and the
/// person's own account page lists it. A passkey belongs to a host name, so the site is opened as localhost.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AScrutineer_SetsUpAPasskeyAtSignIn_ConfirmsTheNextSignInWithIt_ThenSignsInWithItAlone()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:Mfa:RequiredRoles"] = "administrator,scrutineer" });
        var baseUrl = app.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var page = await BrowserFixture.NewPageAsync(fixture.Browser, baseUrl);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var authenticator = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        var authenticatorId = authenticator!.Value.GetProperty("authenticatorId").GetString()!;

        // The password, then the set-up page: a passkey instead of an app, and the sign-in completes.
        await page.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(page, "scrutineer", BrowserFixture.DemoPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SecondFactorSetUp"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up a passkey instead" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("scrutineer");
        var credentials = await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticatorId });
        var credential = Assert.Single(credentials!.Value.GetProperty("credentials").EnumerateArray());
        Assert.True(credential.GetProperty("isResidentCredential").GetBoolean());
        Assert.Equal("localhost", credential.GetProperty("rpId").GetString());

        // Signed out, the password again: the passkey is the second factor.
        await SignOutAsync(page);
        await BrowserFixture.SubmitSignInAsync(page, "scrutineer", BrowserFixture.DemoPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SecondFactor(\\?|$)"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Use your passkey" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);

        // Signed out: the passkey alone, no user name, no password.
        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("scrutineer");

        // The account page lists it, used; the administrators' users page says how this account signed in.
        await BrowserFixture.GotoAsync(page, "/my-account");
        await Assertions.Expect(page.GetByTestId("passkey-list").GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("passkey-list")).ToContainTextAsync("last used");
        await Assertions.Expect(page.GetByTestId("factor-summary")).ToHaveTextAsync("One passkey.");
        var problems = (await BrowserFixture.SeriousAxeViolationsAsync(page)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // A passkey the server does not know (removed here, still on the device) gets a plain message, not an error page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove “" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("passkey-status")).ToContainTextAsync("This passkey is not registered here");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThePasskeyEndpoints_RefuseARequestWithoutTheirHeader_SoAnotherSitesPageCannotStartOne()
    {
        var request = await fixture.Browser.NewContextAsync();
        var api = request.APIRequest;
        foreach (var path in new[] { "/Account/Passkey/Options", "/Account/Passkey/Finish" })
        {
            var response = await api.PostAsync(fixture.App.BaseUrl + path, new() { DataObject = new { purpose = "sign-in" } });
            Assert.Equal(400, response.Status);
            Assert.Contains("did not come from AuditTool's own page", await response.TextAsync());
        }

        var allowed = await api.PostAsync(fixture.App.BaseUrl + "/Account/Passkey/Options", new()
        {
            DataObject = new { purpose = "sign-in" },
            Headers = new Dictionary<string, string> { ["X-AuditTool-Passkey"] = "1" },
        });
        Assert.Equal(200, allowed.Status);
        using var body = JsonDocument.Parse(await allowed.TextAsync());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("options").GetProperty("challenge").GetString()));
        await request.CloseAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await BrowserFixture.SubmitAndWaitAsync(page, page.GetByTestId("sign-out"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn"));
    }
}
