using System.Text.RegularExpressions;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Signing in through an agency's identity provider as a person does it in Chromium: a work address typed on the sign-in
/// page goes to its provider, the "Sign in with" button goes to the other, and each comes back signed in.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AWorkAddress_GoesToItsProvider_AndEachProvidersButtonSignsItsPeopleIn()
    {
        await using var police = await TestOidcProvider.StartAsync();
        await using var health = await TestOidcProvider.StartAsync();
        police.ApproveAtOnce = false;
        health.ApproveAtOnce = false;
        police.Person = new TestPerson("police-0001", "police.auditor@police.example.uk", Name: "Police auditor");
        health.Person = new TestPerson("health-0001", "health.auditor@nhs.example.uk", Name: "Health auditor");
        var settings = police.SettingsAs("police", "Cleveland Police", "police.example.uk")
            .Concat(health.SettingsAs("health", "North Tees NHS Trust", "nhs.example.uk")).ToDictionary(p => p.Key, p => p.Value);
        await using var app = await AppHost.StartAsync(settings);
        var users = app.Services.GetRequiredService<IUserRepository>();
        var admin = (await users.GetByUserNameAsync("admin"))!;
        var adminActor = new Actor(admin.Id, admin.UserName, admin.Role, null);
        foreach (var (user, email) in new[] { ("police.auditor", "police.auditor@police.example.uk"), ("health.auditor", "health.auditor@nhs.example.uk") })
        {
            await app.Services.GetRequiredService<UserAdminService>().SetEmailAsync(adminActor, (await users.GetByUserNameAsync(user))!.Id, email);
        }

        var page = await BrowserFixture.NewPageAsync(fixture.Browser, app.BaseUrl);
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User name, or your work e-mail address").FillAsync("police.auditor@police.example.uk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(police.Authority) + "/authorize"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue as Police auditor" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("police.auditor");
        Assert.Equal("police.auditor@police.example.uk", police.LoginHints.Last());
        await page.Context.CloseAsync();

        var other = await BrowserFixture.NewPageAsync(fixture.Browser, app.BaseUrl);
        await other.GotoAsync("/Account/SignIn");
        await other.GetByRole(AriaRole.Link, new() { Name = "Sign in with North Tees NHS Trust" }).ClickAsync();
        await other.GetByRole(AriaRole.Link, new() { Name = "Continue as Health auditor" }).ClickAsync();
        await Assertions.Expect(other).ToHaveURLAsync(app.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(other);
        await Assertions.Expect(other.GetByTestId("signed-in-user")).ToContainTextAsync("health.auditor");
        await other.Context.CloseAsync();
    }
}
