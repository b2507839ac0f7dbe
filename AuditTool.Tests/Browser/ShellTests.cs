using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ShellTests(BrowserFixture fixture)
{
    public static TheoryData<string, string, string[], string[]> Accounts() => new()
    {
        // user, what the start page says, navigation it must have, navigation it must not have
        { "admin", "administrator", ["Start", "Users", "Agencies", "Audit log"], ["Templates", "Audits", "Reports"] },
        { "scrutineer", "independent scrutineer", ["Start", "Audits", "Templates", "Reports"], ["Users", "Agencies"] },
        { "manager", "agency manager", ["Start", "Reports", "Actions"], ["Users", "Agencies", "Templates", "Audits"] },
        { "executive", "executive member", ["Start", "Reports"], ["Users", "Agencies", "Templates", "Audits", "Actions"] },
        { "police.auditor", "agency auditor", ["Start"], ["Users", "Agencies", "Templates", "Audits", "Reports"] },
        { "health.auditor", "agency auditor", ["Start"], ["Users", "Agencies", "Templates", "Audits", "Reports"] },
        { "social-care.auditor", "agency auditor", ["Start"], ["Users", "Agencies", "Templates", "Audits", "Reports"] },
        { "education.auditor", "agency auditor", ["Start"], ["Users", "Agencies", "Templates", "Audits", "Reports"] },
    };

    [Theory]
    [MemberData(nameof(Accounts))]
    public async Task DemoAccount_SignsIn_AndSeesItsOwnNavigation(string user, string role, string[] has, string[] hasNot)
    {
        var page = await fixture.SignInAsync(user);

        await Assertions.Expect(page.GetByTestId("role-line")).ToContainTextAsync(role);
        var nav = page.Locator("nav[aria-label='Main']");
        foreach (var item in has)
        {
            await Assertions.Expect(nav.GetByText(item, new() { Exact = true })).ToBeVisibleAsync();
        }

        foreach (var item in hasNot)
        {
            await Assertions.Expect(nav.GetByText(item, new() { Exact = true })).ToHaveCountAsync(0);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Auditor_StartPage_ShowsTheirAgencysReturnsList()
    {
        var page = await fixture.SignInAsync("police.auditor");

        await Assertions.Expect(page.GetByTestId("role-line")).ToContainTextAsync("Cleveland Police");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Returns for your agency" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("executive", "/admin/users")]
    [InlineData("executive", "/admin/agencies")]
    [InlineData("executive", "/templates")]
    [InlineData("executive", "/templates/versions/1")]
    [InlineData("police.auditor", "/templates")]
    [InlineData("police.auditor", "/templates/1/history")]
    [InlineData("manager", "/templates/versions/1")]
    [InlineData("scrutineer", "/admin/users")]
    public async Task TypingARestrictedUrl_IsRefused(string user, string url)
    {
        var page = await fixture.SignInAsync(user);

        // Refused by the server: the answer is the static refusal page (no circuit), so no interactive marker to wait for.
        await page.GotoAsync(url);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/AccessDenied"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Demo administrator")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedOut_Visitor_IsSentToSignIn()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/admin/users");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(fixture.App.BaseUrl) + "/Account/SignIn"));
        await Assertions.Expect(page.GetByTestId("demo-panel")).ToContainTextAsync("demo data");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WrongPassword_ShowsAPlainMessage_AndStaysSignedOut()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(page, "health.auditor", "not-the-password");

        // One answer for a wrong password, an unknown name and a locked account (it tells nobody which names exist).
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync(AuditTool.Domain.Accounts.SignInService.RefusedMessage);
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(fixture.App.BaseUrl) + "/Account/SignIn"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var page = await fixture.SignInAsync("scrutineer");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn\\?signedOut=1$"));
        await Assertions.Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        await page.GotoAsync("/templates");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(fixture.App.BaseUrl) + "/Account/SignIn"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Health_AnswersOkWithoutSignIn()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(fixture.App.BaseUrl + "/health");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TemplateDownload_ByAnotherRole_IsRefused_AndByTheScrutineerIsTheJsonFile()
    {
        var executive = await fixture.SignInAsync("executive");
        var refused = await executive.APIRequest.GetAsync("/templates/versions/1/download", new() { MaxRedirects = 0 });
        var scrutineer = await fixture.SignInAsync("scrutineer");
        var file = await scrutineer.APIRequest.GetAsync("/templates/versions/1/download");

        Assert.NotEqual(200, refused.Status);
        Assert.Equal(200, file.Status);
        Assert.Contains("\"format\": \"audittool.template/v1\"", await file.TextAsync());
        await executive.Context.CloseAsync();
        await scrutineer.Context.CloseAsync();
    }
}
