using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture fixture)
{
    /// <summary>
    /// Opens an app page and waits until what it loads is on it (<paramref name="ready"/>, a locator of content that
    /// comes with the data): axe then checks the finished page, not a "Loading…" placeholder being replaced under it.
    /// </summary>
    private static async Task OpenLoadedAsync(IPage page, string url, string ready)
    {
        await BrowserFixture.GotoAsync(page, url);
        await Assertions.Expect(page.Locator(ready).First).ToBeVisibleAsync();
    }

    // Every page for every role, on a laptop and a phone, is checked by EveryPageTests on the demo data; the checks
    // below add pages with data of their own (an imported audit in planning, a moderated one) and the keyboard.

    [Fact]
    public async Task SignIn_WorksWithTheKeyboardAlone()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");

        await page.Keyboard.PressAsync("Tab"); // skip link is not on the sign-in page: first stop is the user name
        await page.Keyboard.TypeAsync("executive");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(BrowserFixture.DemoPassword);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveURLAsync(fixture.App.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("role-line")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AxeCheck_FindsAViolationWhenThereIsOne()
    {
        // Guards the guard: an unlabelled input on the page must be reported, or the checks above prove nothing.
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.EvaluateAsync("() => document.querySelector('main').appendChild(document.createElement('input'))");

        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);

        Assert.Contains(violations, v => v.StartsWith("label "));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditPages_HaveNoSeriousOrCriticalAxeViolations()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Accessibility check", "AX-001", "AX-002"));
        var scrutineer = await fixture.SignInAsync("scrutineer");
        var problems = new List<string>();
        foreach (var (url, ready) in new[]
                 {
                     ("/audits", $"a[href='/audits/{auditId}']"),
                     ("/audits/new", "button:has-text('Create the audit')"),
                     ("/data-protection", "[data-testid=retention]"),
                     // Last: the tabs below are those of the audit's page.
                     ($"/audits/{auditId}", "[data-testid=audit-status]"),
                 })
        {
            await OpenLoadedAsync(scrutineer, url, ready);
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"{url}: {v}"));
        }

        foreach (var (tab, ready) in new[]
                 {
                     ("Sample", scrutineer.GetByText("Import the cohort list", new() { Exact = false })),
                     ("Cases and agencies", scrutineer.GetByTestId("cases-table")),
                     ("Plan", scrutineer.GetByRole(AriaRole.Button, new() { Name = "Save the plan" })),
                 })
        {
            await scrutineer.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
            await Assertions.Expect(scrutineer.GetByRole(AriaRole.Tab, new() { Name = tab })).ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(ready).ToBeVisibleAsync();
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"audit tab {tab}: {v}"));
        }

        var auditor = await fixture.SignInAsync("police.auditor");
        await auditor.GetByTestId("return-link-AX-001").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("save-state")).ToBeAttachedAsync();
        problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(auditor)).Select(v => $"return page: {v}"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await scrutineer.Context.CloseAsync();
        await auditor.Context.CloseAsync();
    }

    [Fact]
    public async Task ModerationFindingsAndReportPages_HaveNoSeriousOrCriticalAxeViolations()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Accessibility moderation check", "AM-001", "AM-002", "AM-003", "AM-004", "AM-005"));
        var scrutineer = await fixture.SignInAsync("scrutineer");
        var problems = new List<string>();
        foreach (var (url, ready) in new[]
                 {
                     ($"/audits/{auditId}/moderation", "[data-testid=agreement]"),
                     ($"/audits/{auditId}/findings", "[data-testid=findings-save-state]"),
                     ($"/reports/{auditId}", "[data-testid=headline]"),
                     ("/reports", "[data-testid=reports]"),
                 })
        {
            await OpenLoadedAsync(scrutineer, url, ready);
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"{url}: {v}"));
        }

        var manager = await fixture.SignInAsync("manager");
        foreach (var (url, ready) in new[] { ("/actions", "[data-testid=agency-actions], [data-testid=no-actions]"), ("/reports", "[data-testid=reports]") })
        {
            await OpenLoadedAsync(manager, url, ready);
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(manager)).Select(v => $"manager {url}: {v}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await scrutineer.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }

    [Fact]
    public async Task AReturn_IsCompletedAndSubmitted_WithTheKeyboardAlone()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Keyboard check", "KB-001"));
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("police.auditor");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(BrowserFixture.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(fixture.App.BaseUrl + "/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("return-link-KB-001")).ToBeVisibleAsync();

        // Tab to the case's link and follow it.
        await TabUntilAsync(page, "() => document.activeElement?.dataset?.testid === 'return-link-KB-001'");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/returns/[0-9]+$"));
        await Assertions.Expect(page.GetByTestId("save-state")).ToBeAttachedAsync();

        // Tab through the form: answer every unanswered group with Space on its first option; stop at Submit. After each
        // answer, wait for its saved mark: by then the page also shows any question that the answer makes appear, so
        // the next Tab reaches it.
        for (var i = 0; i < 200; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<string>("""
                () => {
                    const e = document.activeElement;
                    if (!e) return 'none';
                    if (e.type === 'radio') return document.querySelector(`input[name="${e.name}"]:checked`) ? 'answered' : 'radio:' + e.name;
                    return e.tagName === 'BUTTON' ? 'button:' + e.textContent.trim() : e.tagName;
                }
                """);
            if (focus.StartsWith("radio:", StringComparison.Ordinal))
            {
                var key = focus["radio:a-".Length..];
                await page.Keyboard.PressAsync("Space");
                await Assertions.Expect(page.GetByTestId($"saved-{key}")).ToBeVisibleAsync();
            }
            else if (focus.Equals("button:Submit return", StringComparison.OrdinalIgnoreCase))
            {
                await page.Keyboard.PressAsync("Enter");
                break;
            }
        }

        // The confirmation is answered from the keyboard too.
        var confirm = page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true });
        await confirm.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("submitted")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("answers-table")).ToContainTextAsync("Outstanding");
        await page.Context.CloseAsync();
    }

    private static async Task TabUntilAsync(IPage page, string predicate)
    {
        for (var i = 0; i < 100; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(predicate))
            {
                return;
            }
        }

        throw new InvalidOperationException("The element was never reached with Tab.");
    }

    [Fact]
    public async Task ReadersPages_HaveNoSeriousOrCriticalAxeViolations()
    {
        var problems = new List<string>();
        async Task CheckAsync(IPage page, string label) =>
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"{label}: {v}"));

        var executive = await fixture.SignInAsync("executive");
        foreach (var (url, ready) in new[] { ("/reports", "[data-testid=reports]"), ("/reports/1", "[data-testid=headline]") })
        {
            await OpenLoadedAsync(executive, url, ready);
            await CheckAsync(executive, $"executive {url}");
        }

        // The refusal page is static (no circuit): its heading is all there is to wait for.
        await executive.GotoAsync("/Account/AccessDenied");
        await Assertions.Expect(executive.GetByRole(AriaRole.Heading, new() { Name = "You do not have access to this page" })).ToBeVisibleAsync();
        await CheckAsync(executive, "executive /Account/AccessDenied");

        var manager = await fixture.SignInAsync("manager");
        await OpenLoadedAsync(manager, "/reports/1", "[data-testid=headline]");
        await CheckAsync(manager, "manager /reports/1");
        await OpenLoadedAsync(manager, "/", "[data-testid=role-line]");
        await manager.Locator("a[data-testid^='return-link-DD-']").First.ClickAsync();
        await Assertions.Expect(manager.GetByTestId("answers-table")).ToBeVisibleAsync();
        await CheckAsync(manager, "manager return (read only)");

        // The published demo deep dive: an auditor sees every agency's return of the cases they audited, side by side.
        var auditor = await fixture.SignInAsync("police.auditor");
        // Within the finished audits: other tests may have opened audits of their own with DD- cases, listed first.
        await auditor.GetByTestId("finished-audits").Locator("summary").ClickAsync();
        await auditor.GetByTestId("finished-audits").Locator("a[data-testid^='return-link-DD-']").First.ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("answers-table")).ToBeVisibleAsync();
        // More than two header cells: the question, this agency and at least one other agency's column.
        await Assertions.Expect(auditor.Locator("[data-testid=answers-table] thead th").Nth(2)).ToBeAttachedAsync();
        await CheckAsync(auditor, "auditor revealed return");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var page in new[] { executive, manager, auditor })
        {
            await page.Context.CloseAsync();
        }
    }
}
