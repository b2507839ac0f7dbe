using System.Globalization;
using AuditTool.Domain.Aggregation;
using AuditTool.Tests.Support;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ReliabilityPageTests(BrowserFixture fixture)
{
    private static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ModerationPage_ShowsAlphaKappaAndEachAgencysConfusionTable_WithNoSeriousAxeViolation()
    {
        var auditId = await fixture.ImportAuditAsync(ReliabilityPackage.Json("Reliability of grades (browser)"));
        var page = await fixture.SignInAsync("scrutineer");
        var expected = ReliabilityPackage.OverallAlphaFigure(0.9);

        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/moderation");

        var section = page.GetByTestId("reliability");
        await Assertions.Expect(section.GetByRole(AriaRole.Heading, new() { Name = "Reliability of grades" })).ToBeVisibleAsync();
        await Assertions.Expect(section.GetByRole(AriaRole.Heading, new() { Name = "Overall, how good was this agency's practice?" })).ToBeVisibleAsync();
        var alpha = page.GetByTestId("reliability-overall-alpha");
        await Assertions.Expect(alpha.Locator("th")).ToHaveTextAsync("Krippendorff's alpha (ordinal)");
        await Assertions.Expect(alpha.Locator("td")).ToHaveTextAsync(
            ["All agencies", "8 cases", Number(expected.Value!.Value), $"{Number(expected.Low!.Value)} to {Number(expected.High!.Value)}", "Below 0.900"]);
        var police = page.GetByTestId("reliability-overall-kappa-police");
        await Assertions.Expect(police.Locator("th")).ToHaveTextAsync(ReliabilityMeasures.Kappa);
        await Assertions.Expect(police.Locator("td").Nth(1)).ToHaveTextAsync("8 pairs");
        await Assertions.Expect(police.Locator("td").Nth(2)).ToHaveTextAsync(Number(Reliability.QuadraticKappa(ReliabilityPackage.PolicePairs(), 4)!.Value));
        await Assertions.Expect(page.GetByTestId("reliability-overall-kappa-all").Locator("td").Nth(1)).ToHaveTextAsync("16 pairs");
        await Assertions.Expect(page.GetByTestId("reliability-overall-kappa-health").Locator("td").Nth(1)).ToHaveTextAsync("0 pairs");
        await Assertions.Expect(page.GetByTestId("reliability-overall-kappa-health").Locator("td").Nth(2)).ToHaveTextAsync("too few");
        await Assertions.Expect(page.GetByTestId("reliability-seen-alone-alpha").Locator("td").Nth(2)).ToHaveTextAsync("no variation");

        // The police's grades (rows) against the moderated grades (columns), as an accessible table.
        var table = page.GetByTestId("confusion-overall-police");
        await Assertions.Expect(table.Locator("caption")).ToContainTextAsync("its grades (rows) against the moderated grades (columns)");
        await Assertions.Expect(table.Locator("thead th[scope=col]")).ToHaveTextAsync(
            ["Cleveland Police's grade", "Moderated: Outstanding", "Moderated: Good", "Moderated: Requires improvement", "Moderated: Inadequate"]);
        await Assertions.Expect(table.Locator("tbody th[scope=row]")).ToHaveTextAsync(["Outstanding", "Good", "Requires improvement", "Inadequate"]);
        // Graded good: once moderated outstanding (RL-006), twice good (RL-001, RL-002).
        await Assertions.Expect(table.Locator("tbody tr").Nth(1).Locator("td")).ToHaveTextAsync(["1", "2", "0", "0"]);
        await Assertions.Expect(page.GetByTestId("confusion-overall-health")).ToHaveCountAsync(0);

        var violations = await BrowserFixture.SeriousAxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.Context.CloseAsync();
    }
}
