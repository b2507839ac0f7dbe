using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>The audit log page as an administrator and a scrutineer read it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditLogPageTests(BrowserFixture fixture)
{
    private async Task<string> EvidenceTypedAsync(string caseRef)
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage($"Log page {caseRef}", caseRef));
        var auditor = await fixture.SignInAsync("police.auditor");
        await auditor.GetByTestId($"return-link-{caseRef}").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("save-state")).ToBeAttachedAsync();
        var note = $"Private note for {caseRef}: the child told the teacher about the new partner.";
        var evidence = auditor.GetByLabel("Evidence for “Was the child seen alone?” (optional)");
        await evidence.FillAsync(note);
        await evidence.BlurAsync();
        await Assertions.Expect(auditor.GetByTestId("saved-evidence-seen-alone")).ToBeVisibleAsync();
        await auditor.Context.CloseAsync();
        return note;
    }

    [Fact]
    public async Task AnAdministrator_SeesWhoAndWhatOfAnEvidenceNote_ByAuditCaseAndAgency_NeverTheNote()
    {
        var note = await EvidenceTypedAsync("LG-001");
        var admin = await fixture.SignInAsync("admin");
        await BrowserFixture.GotoAsync(admin, "/admin/audit-log");
        await admin.GetByLabel("Entity").SelectOptionAsync("evidence");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        var row = admin.Locator(".rz-data-row").Filter(new() { HasText = "case LG-001" }).First;
        await Assertions.Expect(row).ToContainTextAsync("Log page LG-001 · case LG-001 · Cleveland Police · question seen-alone");
        await Assertions.Expect(row).ToContainTextAsync("police.auditor");
        // What it records, in words, and no stored code ("update evidence", "78/seen-alone") in the row's text.
        await Assertions.Expect(row.GetByTestId("log-what")).ToHaveTextAsync("Changed evidence");
        await Assertions.Expect(row).Not.ToContainTextAsync("update evidence");
        await Assertions.Expect(row).Not.ToContainTextAsync("/seen-alone");
        await Assertions.Expect(admin.GetByLabel("Entity").Locator("option[value='evidence']")).ToHaveTextAsync("Evidence");
        await Assertions.Expect(row).ToContainTextAsync("case content: scrutineers only");
        await Assertions.Expect(admin.GetByText(note)).ToHaveCountAsync(0);
        Assert.DoesNotContain(note, await admin.ContentAsync());
        await admin.Context.CloseAsync();

        var scrutineer = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(scrutineer, "/admin/audit-log");
        await scrutineer.GetByLabel("Entity").SelectOptionAsync("evidence");
        await scrutineer.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(scrutineer.Locator(".rz-data-row").Filter(new() { HasText = "case LG-001" }).First).ToContainTextAsync(note);
        await scrutineer.Context.CloseAsync();
    }

    [Fact]
    public async Task AnAdministrator_ChecksTheChain_AndSeesItIntact()
    {
        var admin = await fixture.SignInAsync("admin");
        await BrowserFixture.GotoAsync(admin, "/admin/audit-log");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Check the log now" }).ClickAsync();

        await Assertions.Expect(admin.GetByTestId("chain-status")).ToContainTextAsync("Intact:");
        await Assertions.Expect(admin.GetByTestId("chain-status")).ToContainTextAsync("entries are intact and in order");
        await Assertions.Expect(admin.GetByTestId("chain-status")).ToContainTextAsync("by admin");
        await admin.Context.CloseAsync();
    }
}
