using System.Net;
using System.Text.RegularExpressions;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The data protection page for scrutineers: an audit's retention changed where the audit is listed (validated, the
/// result beside it, logged), a legal hold released with its reason; and the agency workbook download, which carries
/// case-level data, in each case's disclosure record (over HTTP). A server of its own, so no other test sees the changes.
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class DataProtectionBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AScrutineer_ChangesAnAuditsRetention_AndReleasesAHold()
    {
        await using var app = await AppHost.StartAsync();
        var retention = app.Services.GetRequiredService<RetentionService>();
        var audit = (await retention.GetAuditsAsync(Actor.System)).First();
        await retention.PlaceHoldAsync(Actor.System, audit.Id, null, "Inquiry order 2027/14: keep every record");

        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "scrutineer");
        await BrowserFixture.GotoAsync(page, "/data-protection");
        var row = page.GetByTestId($"retention-change-{audit.Id}");
        // Bad input: a clear message beside it, nothing changed.
        await row.GetByLabel("Evidence notes kept (months)").FillAsync("30");
        await row.GetByLabel("Case data kept (months)").FillAsync("18");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save the retention" }).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Alert)).ToContainTextAsync("give answers at least as many months as notes");
        // Keyboard only: type, then Enter submits the row's form.
        await row.GetByLabel("Evidence notes kept (months)").FillAsync("6");
        await row.GetByLabel("Case data kept (months)").FillAsync("18");
        await row.GetByLabel("Case data kept (months)").PressAsync("Enter");
        await Expect(row.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved: notes 6 months, answers 18 months");
        await Expect(page.GetByTestId("retention")).ToContainTextAsync("notes 6 months, answers 18 months");

        var hold = page.GetByTestId("holds").GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Inquiry order 2027/14" });
        await hold.GetByRole(AriaRole.Button, new() { Name = "Release the hold" }).ClickAsync();
        await Expect(hold.GetByRole(AriaRole.Alert)).ToContainTextAsync("Give the reason the hold is released");
        await hold.GetByLabel("Reason for releasing this hold").FillAsync("Order lifted by the inquiry");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Release the hold" }).ClickAsync();
        await Expect(page.GetByTestId("hold-result")).ToContainTextAsync($"The hold on audit “{audit.Title}” is released.");
        await Expect(page.GetByText("Inquiry order 2027/14")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        var saved = (await retention.GetAuditsAsync(Actor.System)).Single(a => a.Id == audit.Id);
        Assert.Equal(6, saved.NotesMonths);
        Assert.Equal(18, saved.AnswersMonths);
        var released = (await retention.GetHoldsAsync(Actor.System, includeReleased: true)).Single();
        Assert.Equal("Order lifted by the inquiry", released.ReleaseReason);
        Assert.Equal("scrutineer", released.ReleasedBy);
    }

    [Fact]
    public async Task TheAgencyWorkbookDownload_IsInEachCasesDisclosureRecord()
    {
        await using var app = await AppHost.StartAsync();
        var agencies = (await app.Services.GetRequiredService<IAgencyRepository>().GetAllAsync()).ToDictionary(a => a.Key, a => a.Id);
        var returns = await app.Services.GetRequiredService<IAuditRepository>().GetReturnsAsync(2);
        var carried = returns.Where(r => r.AgencyId == agencies["police"] && ReturnStatuses.IsEditable(r.Status)).Select(r => r.CaseRef).ToList();
        var notCarried = returns.Where(r => r.AgencyId != agencies["police"]).Select(r => r.CaseRef).Except(returns.Where(r => r.AgencyId == agencies["police"]).Select(r => r.CaseRef)).ToList();
        Assert.NotEmpty(carried);

        using var auditor = await SignedInClientAsync(app.BaseUrl, "police.auditor");
        var download = await auditor.GetAsync("/audits/2/workbooks/police");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.NotEmpty(await download.Content.ReadAsByteArrayAsync());

        var disclosures = app.Services.GetRequiredService<DisclosureService>();
        var scrutineer = await app.Services.GetRequiredService<AuditTool.Domain.Accounts.IUserRepository>().GetByUserNameAsync("scrutineer");
        var asScrutineer = new Actor(scrutineer!.Id, "scrutineer", Role.Scrutineer, null);
        foreach (var caseRef in carried)
        {
            var record = Assert.Single(await disclosures.GetByCaseAsync(asScrutineer, caseRef), d => d.What.StartsWith("agency workbook of", StringComparison.Ordinal));
            Assert.Equal("police.auditor", record.UserName);
            Assert.Equal(DisclosureKinds.Export, record.Kind);
            Assert.Equal(2, record.AuditId);
        }

        foreach (var caseRef in notCarried)
        {
            Assert.DoesNotContain(await disclosures.GetByCaseAsync(asScrutineer, caseRef), d => d.What.StartsWith("agency workbook of", StringComparison.Ordinal));
        }

        // The per-case page shows it (its address names the case; pages are not prerendered, so a browser reads it).
        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "scrutineer");
        await BrowserFixture.GotoAsync(page, $"/data-protection?case={Uri.EscapeDataString(carried[0])}");
        var row = page.GetByTestId("disclosures").GetByRole(AriaRole.Row).Filter(new() { HasText = "agency workbook of" });
        await Expect(row).ToContainTextAsync("police.auditor");
        await Expect(row).ToContainTextAsync("export");
        await page.Context.CloseAsync();
    }

    private static async Task<HttpClient> SignedInClientAsync(string baseUrl, string user)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        var form = await client.GetStringAsync("/Account/SignIn");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = user,
            ["Input.Password"] = BrowserFixture.DemoPassword,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{user} could not sign in over HTTP: {(int)response.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
