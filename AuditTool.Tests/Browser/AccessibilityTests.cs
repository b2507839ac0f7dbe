namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture fixture)
{
    [Fact]
    public async Task SignInPage_HasNoSeriousOrCriticalAxeViolations()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");

        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("admin", "/")]
    [InlineData("scrutineer", "/")]
    [InlineData("executive", "/")]
    [InlineData("police.auditor", "/")]
    [InlineData("manager", "/")]
    [InlineData("admin", "/admin/users")]
    [InlineData("admin", "/admin/agencies")]
    [InlineData("admin", "/admin/audit-log")]
    [InlineData("admin", "/admin/outbox")]
    [InlineData("scrutineer", "/templates")]
    [InlineData("scrutineer", "/templates/versions/1")]
    [InlineData("scrutineer", "/templates/1/history")]
    public async Task SignedInPage_HasNoSeriousOrCriticalAxeViolations(string user, string url)
    {
        var page = await fixture.SignInAsync(user);
        if (url != "/")
        {
            await page.GotoAsync(url);
            await page.Locator("h1").First.WaitForAsync();
        }

        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);

        Assert.True(violations.Count == 0, $"{user} {url}:\n" + string.Join("\n", violations));
        await page.Context.CloseAsync();
    }

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

        await page.WaitForURLAsync(fixture.App.BaseUrl + "/");
        await page.GetByTestId("role-line").WaitForAsync();
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
        foreach (var url in new[] { "/audits", "/audits/new", $"/audits/{auditId}" })
        {
            await scrutineer.GotoAsync(url);
            await scrutineer.Locator("h1").First.WaitForAsync();
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"{url}: {v}"));
        }

        foreach (var tab in new[] { "Sample", "Cases and agencies", "Plan" })
        {
            await scrutineer.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = tab }).ClickAsync();
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"audit tab {tab}: {v}"));
        }

        var auditor = await fixture.SignInAsync("police.auditor");
        await auditor.GetByTestId("return-link-AX-001").ClickAsync();
        await auditor.GetByTestId("save-state").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
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
        foreach (var url in new[] { $"/audits/{auditId}/moderation", $"/audits/{auditId}/findings", $"/reports/{auditId}", "/reports" })
        {
            await scrutineer.GotoAsync(url);
            await scrutineer.Locator("h1").First.WaitForAsync();
            await scrutineer.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(scrutineer)).Select(v => $"{url}: {v}"));
        }

        var manager = await fixture.SignInAsync("manager");
        foreach (var url in new[] { "/actions", "/reports" })
        {
            await manager.GotoAsync(url);
            await manager.Locator("h1").First.WaitForAsync();
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
        await page.GetByTestId("role-line").WaitForAsync();

        // Tab to the case's link and follow it.
        await TabUntilAsync(page, "() => document.activeElement?.dataset?.testid === 'return-link-KB-001'");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByTestId("save-state").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });

        // Tab through the form: answer every unanswered group with Space on its first option; stop at Submit.
        for (var i = 0; i < 200; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<string>("""
                () => {
                    const e = document.activeElement;
                    if (!e) return 'none';
                    if (e.type === 'radio') return document.querySelector(`input[name="${e.name}"]:checked`) ? 'answered' : 'radio';
                    return e.tagName === 'BUTTON' ? 'button:' + e.textContent.trim() : e.tagName;
                }
                """);
            if (focus == "radio")
            {
                await page.Keyboard.PressAsync("Space");
                await page.WaitForTimeoutAsync(150);
            }
            else if (focus.Equals("button:Submit return", StringComparison.OrdinalIgnoreCase))
            {
                await page.Keyboard.PressAsync("Enter");
                break;
            }
        }

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("submitted")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("answers-table")).ToContainTextAsync("Outstanding");
        await page.Context.CloseAsync();
    }

    private static async Task TabUntilAsync(Microsoft.Playwright.IPage page, string predicate)
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
        async Task CheckAsync(Microsoft.Playwright.IPage page, string label)
        {
            await page.Locator("h1").First.WaitForAsync();
            await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            problems.AddRange((await BrowserFixture.SeriousAxeViolationsAsync(page)).Select(v => $"{label}: {v}"));
        }

        var executive = await fixture.SignInAsync("executive");
        foreach (var url in new[] { "/reports", "/reports/1", "/Account/AccessDenied" })
        {
            await executive.GotoAsync(url);
            await CheckAsync(executive, $"executive {url}");
        }

        var manager = await fixture.SignInAsync("manager");
        await manager.GotoAsync("/reports/1");
        await CheckAsync(manager, "manager /reports/1");
        await manager.GotoAsync("/");
        await manager.Locator("a[data-testid^='return-link-DD-']").First.ClickAsync();
        await CheckAsync(manager, "manager return (read only)");

        // The published demo deep dive: an auditor sees every agency's return of the cases they audited, side by side.
        var auditor = await fixture.SignInAsync("police.auditor");
        await auditor.Locator("a[data-testid^='return-link-DD-']").First.ClickAsync();
        await auditor.GetByTestId("answers-table").WaitForAsync();
        Assert.True(await auditor.Locator("[data-testid=answers-table] thead th").CountAsync() > 2, "the revealed return should show other agencies' columns");
        await CheckAsync(auditor, "auditor revealed return");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var page in new[] { executive, manager, auditor })
        {
            await page.Context.CloseAsync();
        }
    }
}
