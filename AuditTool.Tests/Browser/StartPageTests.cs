using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// An auditor's start page is a work queue (open returns first, nearest deadline first, overdue said in words, counts per
/// audit, finished audits folded away); an executive's shows reports to read, not statuses and deadlines.
/// </summary>
[Collection(BrowserCollection.Name)]
public class StartPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Auditor_SeesOverdueWorkFirst_ThenLaterDeadlines_WithCounts_AndFinishedAuditsFolded()
    {
        var later = await fixture.ImportAuditAsync(WithDeadline(BrowserFixture.TestPackage("Queue later audit (browser)", "QL-001", "QL-002"), BrowserFixture.DaysAhead(40)));
        var overdue = await fixture.ImportAuditAsync(WithDeadline(BrowserFixture.TestPackage("Queue overdue audit (browser)", "QO-001"), BrowserFixture.DaysAhead(-3)));
        var done = await fixture.ImportAuditAsync(BrowserFixture.ModerationPackage("Queue finished audit (browser)", "QF-001"));
        var page = await fixture.SignInAsync("police.auditor");
        await page.SetViewportSizeAsync(1280, 800);

        var overdueCard = page.GetByTestId($"queue-audit-{overdue}");
        var laterCard = page.GetByTestId($"queue-audit-{later}");
        await Assertions.Expect(page.GetByTestId($"queue-meta-{overdue}")).ToContainTextAsync("Overdue");
        await Assertions.Expect(page.GetByTestId($"queue-meta-{overdue}")).ToContainTextAsync("1 return to do, 0 of 1 submitted");
        await Assertions.Expect(page.GetByTestId($"queue-meta-{later}")).Not.ToContainTextAsync("Overdue");
        await Assertions.Expect(page.GetByTestId($"queue-meta-{later}")).ToContainTextAsync("2 returns to do, 0 of 2 submitted");
        await Assertions.Expect(overdueCard.GetByTestId("return-link-QO-001")).ToBeVisibleAsync();
        Assert.True((await overdueCard.BoundingBoxAsync())!.Y < (await laterCard.BoundingBoxAsync())!.Y, "The overdue audit is not above the later one.");

        // The audit in moderation has nothing left to do: folded away below the queue, its returns one click away.
        var finished = page.GetByTestId("finished-audits");
        await Assertions.Expect(page.GetByTestId($"queue-audit-{done}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("return-link-QF-001")).Not.ToBeVisibleAsync();
        Assert.True((await finished.BoundingBoxAsync())!.Y > (await laterCard.BoundingBoxAsync())!.Y);
        await finished.Locator("summary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("return-link-QF-001")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Executive_SeesReportsToRead_NotStatusesOrDeadlines()
    {
        var page = await fixture.SignInAsync("executive");

        var reports = page.GetByTestId("report-list");
        await Assertions.Expect(reports).ToContainTextAsync("published");
        await Assertions.Expect(reports.GetByRole(AriaRole.Link, new() { Name = "Word report" }).First).ToBeVisibleAsync();
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("Deadline", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Submitted", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Status", text, StringComparison.OrdinalIgnoreCase);
        await page.Context.CloseAsync();
    }

    private static string WithDeadline(string package, string deadline) =>
        package.Replace("\"status\": \"open\"", $"\"status\": \"open\", \"deadline\": \"{deadline}\"");
}
