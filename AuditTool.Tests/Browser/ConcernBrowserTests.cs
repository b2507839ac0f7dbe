using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// A safeguarding concern through its whole life in real Chromium, each step by the person whose step it is: the
/// administrator makes the demo manager (Hartlepool children's services) a safeguarding lead on the users page; the
/// police auditor raises a concern on a return of the open follow-up audit; the scrutineer sees it in red on the audit
/// page; the manager sees it in red on the start page, acknowledges it and records the action; the scrutineer closes it.
/// A server of its own, so no other test sees the concern.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ConcernBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AConcern_IsRaisedAcknowledgedActedOnAndClosed_ByTheRightPeople()
    {
        await using var app = await AppHost.StartAsync();
        var agencies = (await app.Services.GetRequiredService<IAgencyRepository>().GetAllAsync()).ToDictionary(a => a.Key, a => a.Id);
        var returns = await app.Services.GetRequiredService<IAuditRepository>().GetReturnsAsync(2);
        var policeReturn = returns.First(r => r.AgencyId == agencies["police"] &&
                                              returns.Any(o => o.CaseId == r.CaseId && o.AgencyId == agencies["hartlepool-csc"]));
        var caseRef = policeReturn.CaseRef;

        var admin = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "admin");
        await BrowserFixture.GotoAsync(admin, "/admin/users");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Change manager" }).ClickAsync();
        await admin.GetByLabel("Safeguarding lead of").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save safeguarding lead" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Demo agency manager" })).ToContainTextAsync("yes");
        await admin.Context.CloseAsync();

        var auditor = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "police.auditor");
        await BrowserFixture.GotoAsync(auditor, $"/returns/{policeReturn.Id}");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Raise a safeguarding concern" }).ClickAsync();
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Send the concern" }).ClickAsync();
        await Expect(auditor.GetByTestId("concern-problem")).ToContainTextAsync("description of the concern is required");
        await auditor.GetByLabel("Why assurance was not gained").FillAsync("Injury recorded at the last visit with no strategy discussion");
        await auditor.GetByLabel("Who was told already").FillAsync("Police public protection unit");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Send the concern" }).ClickAsync();
        await Expect(auditor.GetByTestId("concern-raised")).ToContainTextAsync($"Concern raised about case {caseRef}");
        await auditor.Context.CloseAsync();

        var scrutineer = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "scrutineer");
        await BrowserFixture.GotoAsync(scrutineer, "/audits/2");
        var banner = scrutineer.GetByTestId("open-concerns");
        await Expect(banner).ToContainTextAsync($"Case {caseRef}");
        Assert.Equal("rgb(138, 0, 25)", await banner.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await BrowserFixture.GotoAsync(scrutineer, "/audits/1/moderation");
        await Expect(scrutineer.GetByRole(AriaRole.Button, new() { Name = "Raise a safeguarding concern" })).ToBeVisibleAsync();

        var manager = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "manager");
        await BrowserFixture.GotoAsync(manager, "/");
        await Expect(manager.GetByTestId("open-concerns")).ToContainTextAsync($"Case {caseRef}");
        await BrowserFixture.GotoAsync(manager, "/concerns");
        var card = manager.GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"Case {caseRef}" });
        await Expect(card).ToContainTextAsync("Injury recorded at the last visit");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = $"Close the concern about case {caseRef}" })).ToHaveCountAsync(0);
        await card.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge the concern about case {caseRef}" }).ClickAsync();
        await Expect(card.GetByTestId("concern-state")).ToHaveTextAsync("Acknowledged");
        await card.GetByLabel($"What was done about the concern on case {caseRef}").FillAsync("Referred to the children's services front door");
        await card.GetByRole(AriaRole.Button, new() { Name = "Record the action" }).ClickAsync();
        await Expect(card.GetByTestId("concern-state")).ToHaveTextAsync("Action recorded");
        await Expect(card.GetByTestId("concern-action")).ToContainTextAsync("front door");
        await BrowserFixture.GotoAsync(manager, "/");
        await Expect(manager.GetByTestId("role-line")).ToBeVisibleAsync();
        await Expect(manager.GetByTestId("open-concerns")).ToHaveCountAsync(0);
        await manager.Context.CloseAsync();

        await BrowserFixture.GotoAsync(scrutineer, "/concerns");
        await scrutineer.GetByLabel("State").SelectOptionAsync(new SelectOptionValue { Label = "Action recorded" });
        var scrutineerCard = scrutineer.GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"Case {caseRef}" });
        await scrutineerCard.GetByRole(AriaRole.Button, new() { Name = $"Close the concern about case {caseRef}" }).ClickAsync();
        await Expect(scrutineer.GetByTestId("concerns")).ToHaveTextAsync("No concerns to show.");
        await scrutineer.GetByLabel("State").SelectOptionAsync(new SelectOptionValue { Label = "Closed" });
        await Expect(scrutineerCard.GetByTestId("concern-state")).ToHaveTextAsync("Closed");
        var violations = await BrowserFixture.SeriousAxeViolationsAsync(scrutineer);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await scrutineer.Context.CloseAsync();
    }
}
