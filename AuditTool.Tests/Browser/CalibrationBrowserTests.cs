using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// A calibration exercise in real Chromium: the scrutineer plans one on a demo template with two auditors (police and
/// education); each auditor grades it on their Calibration page and submits; the scrutineer sets a reference grade,
/// closes it and sees the result table with the agreement in words and the alpha. A server of its own.
/// </summary>
[Collection(BrowserCollection.Name)]
public class CalibrationBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AScrutineerPlans_AuditorsGrade_TheScrutineerClosesAndSeesTheResult()
    {
        await using var app = await AppHost.StartAsync();
        var scrutineer = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "scrutineer");
        await BrowserFixture.GotoAsync(scrutineer, "/calibration");
        await scrutineer.GetByLabel("Title").FillAsync("Browser calibration");
        await scrutineer.GetByLabel("Template version").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await scrutineer.GetByLabel("Evidence summary of the anonymised case").FillAsync("A child of 9 was seen twice; the plan was not reviewed.");
        await scrutineer.GetByLabel("Demo auditor, Cleveland Police").CheckAsync();
        await scrutineer.GetByLabel("Demo auditor, education").CheckAsync();
        await scrutineer.GetByRole(AriaRole.Button, new() { Name = "Plan the exercise" }).ClickAsync();
        await Expect(scrutineer.GetByTestId("calibration-summary")).ToContainTextAsync("the plan was not reviewed");
        var exerciseUrl = scrutineer.Url;

        foreach (var (user, grade) in new[] { ("police.auditor", 1), ("education.auditor", 1) })
        {
            var auditor = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, user);
            await BrowserFixture.GotoAsync(auditor, "/calibration");
            await auditor.GetByRole(AriaRole.Link, new() { Name = "Browser calibration" }).ClickAsync();
            var form = auditor.GetByTestId("calibration-grades");
            await Expect(form).ToBeVisibleAsync();
            var selects = form.Locator("select");
            var count = await selects.CountAsync();
            Assert.True(count > 0);
            for (var i = 0; i < count; i++)
            {
                await selects.Nth(i).SelectOptionAsync(new SelectOptionValue { Index = grade });
            }

            await auditor.GetByRole(AriaRole.Button, new() { Name = "Submit my grades" }).ClickAsync();
            await Expect(auditor.GetByTestId("calibration-submitted")).ToContainTextAsync("Your grades are submitted");
            // Blind: no result and no reference before the exercise is closed.
            await Expect(auditor.GetByTestId("calibration-result")).ToHaveCountAsync(0);
            await auditor.Context.CloseAsync();
        }

        await BrowserFixture.GotoAsync(scrutineer, new Uri(exerciseUrl).PathAndQuery);
        await scrutineer.GetByTestId("calibration-reference").Locator("select").First.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await Expect(scrutineer.GetByText("2 of 2 auditors have submitted")).ToBeVisibleAsync();
        await scrutineer.GetByRole(AriaRole.Button, new() { Name = "Close the exercise" }).ClickAsync();
        var result = scrutineer.GetByTestId("calibration-result");
        await Expect(result).ToBeVisibleAsync();
        await Expect(result).ToContainTextAsync("agrees with the reference");
        await Expect(result.GetByRole(AriaRole.Columnheader, new() { Name = "Demo auditor, Cleveland Police" })).ToBeVisibleAsync();
        await Expect(scrutineer.GetByTestId("calibration-alpha")).ToContainTextAsync("Krippendorff's alpha (ordinal)");
        await Expect(scrutineer.GetByTestId("calibration-state")).ToContainTextAsync("Closed");
        await Expect(scrutineer.GetByTestId("calibration-history")).ToContainTextAsync("Browser calibration");
    }
}
