using System.Globalization;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using SkiaSharp;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Colour contrast decided by pixels where axe-core cannot decide it. axe reports text over a pseudo-element, an image
/// or a gradient as "needs review" (incomplete), not as a violation: Radzen's buttons draw their surface with pseudo
/// elements, so a grey "Sign out" on the purple header passed every axe run. For each such element this takes the
/// element's text colour from the page, photographs the element with its text made transparent, takes the colour most
/// of its pixels have as the background, and measures the WCAG contrast ratio: 4.5:1, or 3:1 for large text.
/// </summary>
public static class PixelContrast
{
    public static async Task<IReadOnlyList<string>> FailuresAsync(IPage page, AxeResult result)
    {
        var failures = new List<string>();
        // A photograph taken while something slides (the navigation closing after the window narrows) measures whatever
        // passes over the text: wait for the page's transitions and animations that end to have ended.
        await page.EvaluateAsync("""
            () => Promise.all(document.getAnimations()
                .filter(a => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
                .map(a => a.finished.catch(() => null)))
            """);
        var targets = result.Incomplete.Where(r => r.Id == "color-contrast").SelectMany(r => r.Nodes)
            .Select(n => n.Target?.ToString()).Where(t => !string.IsNullOrEmpty(t)).Distinct().ToList();
        foreach (var target in targets)
        {
            var element = page.Locator(target!).First;
            if (await element.CountAsync() == 0 || !await element.IsVisibleAsync() || await element.EvaluateAsync<bool>("""
                    e => {
                        // Text under something else (an open menu over the page) is not what anyone sees there.
                        const box = e.getBoundingClientRect();
                        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                        return !top || !(top === e || e.contains(top) || top.contains(e));
                    }
                    """))
            {
                continue;
            }

            var style = JsonDocument.Parse(await element.EvaluateAsync<string>("""
                e => {
                    const s = getComputedStyle(e);
                    const box = e.getBoundingClientRect();
                    return JSON.stringify({ color: s.color, size: parseFloat(s.fontSize), weight: parseInt(s.fontWeight, 10) || 400,
                                            width: box.width, height: box.height, text: (e.innerText || '').trim() });
                }
                """)).RootElement;
            if (style.GetProperty("width").GetDouble() < 1 || style.GetProperty("height").GetDouble() < 1 ||
                style.GetProperty("text").GetString() is not { Length: > 0 } text)
            {
                continue;
            }

            var (r, g, b, a) = ParseColour(style.GetProperty("color").GetString()!);
            var background = await BackgroundAsync(element);
            // Text that is partly transparent is seen blended over its background.
            var seen = (r * a + background.Red * (1 - a), g * a + background.Green * (1 - a), b * a + background.Blue * (1 - a));
            var ratio = Ratio(seen, (background.Red, background.Green, background.Blue));
            var size = style.GetProperty("size").GetDouble();
            var large = size >= 24 || (size >= 18.66 && style.GetProperty("weight").GetInt32() >= 700);
            var needed = large ? 3.0 : 4.5;
            if (ratio < needed)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"color-contrast (by pixels): \"{text}\" at {target} is {ratio:0.00}:1 (text {style.GetProperty("color").GetString()} on rgb({background.Red}, {background.Green}, {background.Blue})), needs {needed}:1"));
            }
        }

        return failures;
    }

    /// <summary>
    /// The contrast of an element's own colour (its text, or an icon drawn in currentColor) against the colour most of
    /// its pixels have without it: for controls that are only an icon (WCAG 1.4.11 asks 3:1).
    /// </summary>
    public static async Task<double> OfElementAsync(ILocator element)
    {
        var (r, g, b, a) = ParseColour(await element.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        var background = await BackgroundAsync(element);
        return Ratio((r * a + background.Red * (1 - a), g * a + background.Green * (1 - a), b * a + background.Blue * (1 - a)),
            (background.Red, background.Green, background.Blue));
    }

    /// <summary>The colour most of the element's pixels have once its text (and its children's) is transparent.</summary>
    private static async Task<SKColor> BackgroundAsync(ILocator element)
    {
        await element.EvaluateAsync("""
            e => {
                const style = document.createElement('style');
                style.id = 'pixel-contrast-hide-text';
                style.textContent = '[data-pixel-contrast], [data-pixel-contrast] * { color: transparent !important; text-shadow: none !important; caret-color: transparent !important; }';
                document.head.appendChild(style);
                e.setAttribute('data-pixel-contrast', '');
            }
            """);
        try
        {
            var png = await element.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled });
            using var bitmap = SKBitmap.Decode(png);
            var counts = new Dictionary<SKColor, int>();
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    counts[c] = counts.GetValueOrDefault(c) + 1;
                }
            }

            return counts.MaxBy(kv => kv.Value).Key;
        }
        finally
        {
            await element.EvaluateAsync("""
                e => { e.removeAttribute('data-pixel-contrast'); document.getElementById('pixel-contrast-hide-text')?.remove(); }
                """);
        }
    }

    private static (double R, double G, double B, double A) ParseColour(string css)
    {
        var parts = css[(css.IndexOf('(') + 1)..css.IndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture), parts.Length > 3 ? double.Parse(parts[3], CultureInfo.InvariantCulture) : 1);
    }

    /// <summary>WCAG 2's contrast ratio of two sRGB colours (0-255 channels).</summary>
    public static double Ratio((double R, double G, double B) one, (double R, double G, double B) two)
    {
        static double Channel(double v)
        {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        static double Luminance((double R, double G, double B) c) => 0.2126 * Channel(c.R) + 0.7152 * Channel(c.G) + 0.0722 * Channel(c.B);
        var (l1, l2) = (Luminance(one), Luminance(two));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }
}
