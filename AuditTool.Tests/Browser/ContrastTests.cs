using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The header's Sign out, measured by pixels (axe leaves text over Radzen's pseudo-element surfaces undecided), and the
/// pixel check itself shown able to fail, so every page's accessibility check (SeriousAxeViolationsAsync) can trust it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContrastTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task SignOut_OnTheHeader_HasEnoughContrast_ByPixels(int width)
    {
        var page = await fixture.SignInAsync("executive");
        await page.SetViewportSizeAsync(width, 700);
        var signOut = page.GetByTestId("sign-out");
        await Assertions.Expect(signOut).ToBeVisibleAsync();

        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. BrowserFixture.WcagTags] } });
        var failures = await PixelContrast.FailuresAsync(page, result);

        Assert.Empty(failures);
        Assert.DoesNotContain(result.Violations, v => v.Id == "color-contrast");
        // On a phone Sign out is an icon: its glyph (drawn in the button's colour) needs 3:1 against the header.
        Assert.True(await PixelContrast.OfElementAsync(signOut) >= (width < 400 ? 3.0 : 4.5), "Sign out's colour is too faint on the header.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThePixelCheck_FindsGreyTextOnThePurpleHeader_ThatAxeLeavesUndecided()
    {
        var page = await fixture.SignInAsync("executive");
        // The colours before the fix: Radzen's outlined default text on the header.
        await page.AddStyleTagAsync(new() { Content = ".app-header .rz-button.rz-variant-outlined.rz-base.rz-shade-default.app-signout { color: rgb(66, 66, 66) !important; }" });

        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. BrowserFixture.WcagTags] } });
        var failures = await PixelContrast.FailuresAsync(page, result);

        Assert.DoesNotContain(result.Violations, v => v.Id == "color-contrast" && v.Nodes.Any(n => n.Target!.ToString()!.Contains("signout")));
        Assert.Contains(failures, f => f.Contains("SIGN OUT", StringComparison.OrdinalIgnoreCase) && f.Contains("1.39:1"));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(0, 0, 0, 255, 255, 255, 21.0)]
    [InlineData(118, 118, 118, 255, 255, 255, 4.54)]
    [InlineData(66, 66, 66, 67, 64, 210, 1.39)]
    [InlineData(255, 255, 255, 67, 64, 210, 7.23)]
    public void ContrastRatio_IsWcags(int r1, int g1, int b1, int r2, int g2, int b2, double expected) =>
        Assert.Equal(expected, PixelContrast.Ratio((r1, g1, b1), (r2, g2, b2)), 0.02);
}
