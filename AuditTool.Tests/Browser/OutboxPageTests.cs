using AuditTool.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The administrators' outbox page and the users page's e-mail field in real Chromium. The outbox test runs a server of
/// its own pointed at a real SMTP server on loopback (aiosmtpd), which it stops and starts to show a failure and a retry.
/// </summary>
[Collection(BrowserCollection.Name)]
public class OutboxPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Outbox_SendsATestMessage_ShowsAFailedOne_AndRetriesIt_WithNoSeriousAxeViolations()
    {
        using var sink = await SmtpSink.StartAsync();
        var settings = sink.Settings();
        settings["AuditTool:PublicUrl"] = "https://audit.partnership.example.org";
        await using var app = await AppHost.StartAsync(settings);

        // The server's own pass as it starts: the demo manager hears of the demo's overdue actions (demo accounts have
        // addresses because an SMTP host is set).
        var deadline = DateTime.UtcNow.AddSeconds(BrowserFixture.PatienceMs / 1000);
        while (!sink.Messages("overdue-actions:").Any(m => m.To.Mailboxes.Single().Address == "manager@demo.audittool.invalid") &&
               DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains(sink.Messages("overdue-actions:"), m => m.To.Mailboxes.Single().Address == "manager@demo.audittool.invalid");

        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "admin");
        await BrowserFixture.GotoAsync(page, "/admin/outbox");
        await Expect(page.GetByTestId("smtp-settings")).ToContainTextAsync($"127.0.0.1 port {sink.Port}, no encryption, without signing in");
        await Expect(page.GetByTestId("smtp-missing")).ToHaveCountAsync(0);
        var address = page.GetByLabel("Send a test message to");
        await Expect(address).ToHaveValueAsync("admin@demo.audittool.invalid");
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send test message" });

        await address.FillAsync("admin at the partnership");
        await send.ClickAsync();
        await Expect(page.GetByTestId("test-problem")).ToContainTextAsync("is not an e-mail address");

        await address.FillAsync("check@partnership.example.org");
        await send.ClickAsync();
        await Expect(page.GetByTestId("test-result")).ToHaveTextAsync("Sent a test message to check@partnership.example.org.");
        Assert.Single(sink.Messages("test:"), m => m.To.Mailboxes.Single().Address == "check@partnership.example.org");

        sink.Stop();
        await address.FillAsync("second@partnership.example.org");
        await send.ClickAsync();
        await Expect(page.GetByTestId("test-result")).ToContainTextAsync("The test message to second@partnership.example.org was not sent:");

        await page.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "Test message" });
        await page.GetByLabel("Address contains").FillAsync("second@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "second@partnership.example.org" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Failed, will be retried");
        await Expect(row).ToContainTextAsync("could not be used");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "check@partnership.example.org" })).ToHaveCountAsync(0);
        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));

        await sink.StartAgainAsync();
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Retry message \\d+ to second@") }).ClickAsync();
        await Expect(row).ToContainTextAsync("Sent");
        await Expect(page.GetByTestId("test-result")).ToContainTextAsync("to second@partnership.example.org was sent.");
        Assert.Single(sink.Messages("test:"), m => m.To.Mailboxes.Single().Address == "second@partnership.example.org");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Outbox_WithoutAnSmtpHost_SaysNothingIsSent()
    {
        var page = await fixture.SignInAsync("admin");
        await BrowserFixture.GotoAsync(page, "/admin/outbox");

        await Expect(page.GetByTestId("smtp-missing")).ToContainTextAsync("No SMTP host is set");
        await Expect(page.GetByTestId("public-url-missing")).ToBeVisibleAsync();
        await page.GetByLabel("Send a test message to").FillAsync("check@partnership.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test message" }).ClickAsync();
        await Expect(page.GetByTestId("test-problem")).ToContainTextAsync("No SMTP host is set");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UsersPage_EmailField_RefusesABadAddress_AndSavesAGoodOne()
    {
        var page = await fixture.SignInAsync("admin");
        await BrowserFixture.GotoAsync(page, "/admin/users");
        await Expect(page.GetByLabel("E-mail address (optional)")).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "early-help.auditor" });

        await page.GetByRole(AriaRole.Button, new() { Name = "Change early-help.auditor" }).ClickAsync();
        var email = page.GetByLabel("E-mail address (blank for none)");
        await email.FillAsync("early help at the council");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save e-mail address" }).ClickAsync();

        await Expect(page.GetByTestId("user-errors")).ToContainTextAsync("\"early help at the council\" is not an e-mail address");
        await Expect(row).Not.ToContainTextAsync("@");

        await email.FillAsync("early-help.auditor@partnership.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save e-mail address" }).ClickAsync();

        await Expect(row).ToContainTextAsync("early-help.auditor@partnership.example.org");
        await Expect(page.GetByTestId("user-errors")).ToHaveCountAsync(0);
        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.Context.CloseAsync();
    }
}
