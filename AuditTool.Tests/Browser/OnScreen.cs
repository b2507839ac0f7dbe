using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>What a person sees: where an element is on the screen, not only whether it is in the markup.</summary>
public static class OnScreen
{
    /// <summary>The element's box lies inside the 1280x800 window as it is now scrolled: a person sees it.</summary>
    public static async Task AssertAsync(IPage page, ILocator element)
    {
        await Assertions.Expect(element).ToBeVisibleAsync();
        var viewport = page.ViewportSize!;
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Y >= 0 && box.Y + box.Height <= viewport.Height && box.X >= 0 && box.X + box.Width <= viewport.Width,
            $"The element is at x {box.X}, y {box.Y}, {box.Width} by {box.Height}: outside the {viewport.Width}x{viewport.Height} window.");
    }
}
