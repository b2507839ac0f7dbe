using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Every routable page, for every role that can open it, once its data has rendered: axe-core with the WCAG 2.2 AA
/// rules, on a laptop (1280 x 720) and on a phone (320 x 700, which is also 400% zoom on a laptop: WCAG 1.4.10 reflow).
/// On the phone the page must not scroll sideways (nothing sticks out of the screen except inside a box made to scroll),
/// no table cell may be narrower than four characters of its text, and the sign-out control must be on the screen and
/// work. The demo data of the shared app gives every page something to show.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EveryPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private sealed record Visit(string Path, string Ready, string? Tab = null);

    private async Task<IReadOnlyList<Visit>> VisitsAsync(string user)
    {
        var audits = fixture.App.Services.GetRequiredService<IAuditRepository>();
        var agencies = fixture.App.Services.GetRequiredService<IAgencyRepository>();
        async Task<long> ReturnOfAsync(long auditId, string agencyKey)
        {
            var agency = (await agencies.GetAllAsync()).Single(a => a.Key == agencyKey);
            return (await audits.GetReturnsAsync(auditId)).First(r => r.AgencyId == agency.Id).Id;
        }

        // Demo: audit 1 is the published deep dive, audit 2 its open follow-up; template 1 version 1 is shipped.
        return user switch
        {
            "admin" =>
            [
                new("/", "[data-testid=role-line]"),
                new("/admin/users", "button[aria-label='Change police.auditor']"),
                new("/admin/agencies", "button[aria-label='Edit Cleveland Police']"),
                new("/admin/audit-log", ".rz-data-row"),
                new("/admin/outbox", "[data-testid=smtp-missing], [data-testid=smtp-settings]"),
                new("/my-account", "[data-testid=passkeys]"),
            ],
            "scrutineer" =>
            [
                new("/", "[data-testid=role-line]"),
                new("/templates", "a[href^='/templates/versions/']"),
                new("/templates/versions/1", "[data-testid=version-status]"),
                new("/templates/1/history", "[data-testid=history-v1]"),
                new("/audits", "a[href='/audits/1']"),
                new("/audits/new", "button:has-text('Create the audit')"),
                new("/audits/2", "[data-testid=audit-status]"),
                new("/audits/2", "[data-testid=cases-table]", "Cases and agencies"),
                new("/audits/2", "p.muted:has-text('Import the cohort list')", "Sample"),
                new("/audits/2", "[data-testid^=workbook-download-]", "Offline workbooks"),
                new("/audits/1/moderation", "[data-testid=moderation-table]"),
                new("/audits/1/findings", "#curated-heading"),
                new("/reports", "[data-testid=reports]"),
                new("/reports/1", "[data-testid=headline]"),
                new("/reports/2", "[data-testid=headline]"),
                new("/trends", "[data-testid=trends-count]"),
                new("/data-protection", "[data-testid=retention]"),
                new("/admin/audit-log", ".rz-data-row"),
                new($"/returns/{await ReturnOfAsync(1, "police")}", "[data-testid=answers-table]"),
                new("/concerns", "[data-testid=concerns]"),
                new("/calibration", "[data-testid=calibration-plan]"),
            ],
            "police.auditor" =>
            [
                new("/", "[data-testid=role-line]"),
                new($"/returns/{await ReturnOfAsync(2, "police")}", "[data-testid=save-state]"),
                new($"/returns/{await ReturnOfAsync(1, "police")}", "[data-testid=answers-table]"),
                new("/concerns", "[data-testid=concerns]"),
                new("/calibration", "[data-testid=calibration-list]"),
            ],
            "manager" =>
            [
                new("/", "[data-testid=role-line]"),
                new("/reports", "[data-testid=reports]"),
                new("/reports/1", "[data-testid=headline]"),
                new("/trends", "[data-testid=trends-count]"),
                new("/actions", "[data-testid=agency-actions], [data-testid=no-actions]"),
                new("/concerns", "[data-testid=concerns]"),
                new($"/returns/{await ReturnOfAsync(1, "hartlepool-csc")}", "[data-testid=answers-table]"),
            ],
            "executive" =>
            [
                new("/", "[data-testid=role-line]"),
                new("/reports", "[data-testid=reports]"),
                new("/reports/1", "[data-testid=headline]"),
                new("/reports/3", "[data-testid=baseline]"),
                new("/trends", "[data-testid=trends-count]"),
                new("/my-account", "[data-testid=passkeys]"),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(user)),
        };
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("scrutineer")]
    [InlineData("police.auditor")]
    [InlineData("manager")]
    [InlineData("executive")]
    public async Task EveryPageOfTheRole_IsAxeCleanOnALaptopAndAPhone_AndReflowsAt320Pixels(string user)
    {
        var visits = await VisitsAsync(user);
        var page = await fixture.SignInAsync(user);
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1280, 720), (320, 700) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var visit in visits)
            {
                var where = $"{user} {visit.Path}{(visit.Tab is null ? "" : $" ({visit.Tab} tab)")} at {width} px";
                await OpenAsync(page, visit);
                problems.AddRange((await SeriousAxeViolationsAsync(page)).Select(v => $"{where}: {v}"));
                if (width == 320)
                {
                    problems.AddRange((await ReflowProblemsAsync(page)).Select(p => $"{where}: {p}"));
                    var signOut = page.GetByTestId("sign-out");
                    await Assertions.Expect(signOut).ToBeVisibleAsync();
                    await Assertions.Expect(signOut).ToHaveAccessibleNameAsync("Sign out");
                    await Assertions.Expect(signOut).ToBeInViewportAsync(new() { Ratio = 1 });
                }
            }
        }

        output.WriteLine($"{user}: {visits.Count} pages checked at 1280 and 320 px.");
        // The sign-out control works on the phone too.
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task PagesWithoutASession_AreAxeCleanAndReflow()
    {
        var page = await fixture.NewPageAsync();
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1280, 720), (320, 700) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (path, heading) in new[] { ("/Account/SignIn", "Sign in to AuditTool"), ("/Error", "Something went wrong") })
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
                problems.AddRange((await SeriousAxeViolationsAsync(page)).Select(v => $"{path} at {width} px: {v}"));
                if (width == 320)
                {
                    problems.AddRange((await ReflowProblemsAsync(page)).Select(p => $"{path} at {width} px: {p}"));
                }
            }
        }

        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheChecks_CatchAScrollBoxNoKeyboardCanReach_AndAPageThatScrollsSideways()
    {
        // Guards the guards: what the independent check found must be reported here too.
        var page = await fixture.SignInAsync("executive");
        await page.SetViewportSizeAsync(320, 700);
        await BrowserFixture.GotoAsync(page, "/reports");
        await Assertions.Expect(page.GetByTestId("reports")).ToBeVisibleAsync();
        // Added to the body, outside what Blazor renders, so no render of the page can take them away again.
        await page.EvaluateAsync("""
            () => {
                const box = document.createElement('div');
                box.style.cssText = 'overflow-x:auto;width:200px';
                box.innerHTML = '<table><tr><td style="white-space:nowrap">' + 'wide text '.repeat(40) + '</td></tr></table>';
                document.body.appendChild(box);
                const wide = document.createElement('p');
                wide.style.cssText = 'width:600px';
                wide.textContent = 'Too wide for a phone';
                document.body.appendChild(wide);
            }
            """);

        var violations = await SeriousAxeViolationsAsync(page);
        var reflow = await ReflowProblemsAsync(page);

        Assert.Contains(violations, v => v.StartsWith("scrollable-region-focusable ", StringComparison.Ordinal));
        Assert.Contains(reflow, p => p.Contains("Too wide for a phone", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheModerationTable_EveryColumnIsReachedAndReadWithTheKeyboard()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await page.SetViewportSizeAsync(320, 700);
        await BrowserFixture.GotoAsync(page, "/audits/1/moderation");
        var region = page.GetByRole(AriaRole.Region, new() { Name = "Every agency's answers for this case, side by side, with the moderated grade" });
        await Assertions.Expect(region.Locator("[data-testid=moderation-table]")).ToBeVisibleAsync();
        var headers = await region.Locator("thead th").AllInnerTextsAsync();
        Assert.True(headers.Count >= 4, $"{headers.Count} columns");

        // Tab until the scroll box has focus, then move through it with the arrow key: every column comes into view.
        for (var i = 0; i < 60 && !await region.EvaluateAsync<bool>("e => document.activeElement === e"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(region).ToBeFocusedAsync();
        var seen = new HashSet<int>();
        for (var step = 0; step < 200 && seen.Count < headers.Count; step++)
        {
            foreach (var index in await region.EvaluateAsync<int[]>("""
                         e => [...e.querySelectorAll('thead th')].map((th, i) => {
                             const r = th.getBoundingClientRect(), box = e.getBoundingClientRect();
                             return r.left >= box.left - 1 && r.left < box.right - 8 ? i : -1; }).filter(i => i >= 0)
                         """))
            {
                seen.Add(index);
            }

            await page.Keyboard.PressAsync("ArrowRight");
        }

        Assert.Equal(headers.Count, seen.Count);
        await page.Context.CloseAsync();
    }

    private static async Task OpenAsync(IPage page, Visit visit)
    {
        await BrowserFixture.GotoAsync(page, visit.Path);
        if (visit.Tab is not null)
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = visit.Tab }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = visit.Tab })).ToHaveAttributeAsync("aria-selected", "true");
        }

        await Assertions.Expect(page.Locator(visit.Ready).First).ToBeVisibleAsync();
    }

    private static Task<IReadOnlyList<string>> SeriousAxeViolationsAsync(IPage page) => BrowserFixture.SeriousAxeViolationsAsync(page);

    /// <summary>At the page's current width: what scrolls sideways, sticks out of the screen, or is a squeezed table cell.</summary>
    public static async Task<IReadOnlyList<string>> ReflowProblemsAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
            const width = document.documentElement.clientWidth;
            const problems = [];
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).slice(0, 2).join('.') : '')
                + ' "' + (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
            if (document.documentElement.scrollWidth > width + 1) {
                problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px wide');
            }
            // The layout's body scrolls the page's content (Radzen's body is a scroll box): sideways there is the page
            // scrolling sideways.
            for (const body of document.querySelectorAll('.rz-body, .rz-layout')) {
                if (body.scrollWidth > body.clientWidth + 1) problems.push('the page scrolls sideways inside ' + body.className.split(' ')[0] + ': ' + body.scrollWidth + ' px wide');
            }
            // Inside a box that scrolls sideways on purpose (a table's own box), being wider than the screen is fine;
            // the layout's body is the page itself, not such a box.
            const scrolls = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                if (p.matches('.rz-body, .rz-layout')) continue;
                const s = getComputedStyle(p); if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth < width + 1) return true; } return false; };
            const visible = e => { for (let p = e; p; p = p.parentElement) { const s = getComputedStyle(p);
                if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false; } return true; };
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect();
                if (r.width < 2 || r.height < 2 || r.right <= width + 1 || r.left >= width) continue;
                if (!visible(e) || scrolls(e)) continue;
                if ([...e.children].some(c => c.getBoundingClientRect().right > width + 1)) continue; // report the innermost
                problems.push('off the screen: ' + name(e) + ' reaches ' + Math.round(r.right) + ' px');
            }
            for (const c of document.querySelectorAll('td, th')) {
                const text = (c.textContent || '').trim();
                const r = c.getBoundingClientRect();
                if (!text || r.width === 0 || !visible(c)) continue;
                const probe = document.createElement('span');
                probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
                probe.textContent = text.slice(0, 4).padEnd(4, 'n');
                c.appendChild(probe);
                const four = probe.getBoundingClientRect().width;
                probe.remove();
                const s = getComputedStyle(c);
                const inner = r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
                if (inner + 0.5 < four) problems.push('a table cell narrower than four characters: ' + name(c) + ' ' + Math.round(inner) + ' px');
            }
            return [...new Set(problems)].slice(0, 40);
        }
        """);
}
