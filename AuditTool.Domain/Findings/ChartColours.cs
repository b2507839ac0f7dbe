using System.Globalization;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

/// <summary>
/// Colours of answer options in charts, the same on the report page and in the Word report.
/// <para>Graded options (a scale, or a choice whose options carry a polarity): the hue says the polarity (positive
/// green, neutral amber, negative red) and the lightness says the place on the scale, darkest for the best option and
/// lighter step by step to the worst, so the options are told apart in greyscale print too.</para>
/// <para>Descriptive options (a choice whose options are all neutral, e.g. SEND status): one slate-blue hue in lightness
/// steps, never red or green, because no answer is better than another.</para>
/// Every colour keeps at least 3:1 contrast against white (WCAG 2.2 1.4.11); the words drawn on a colour are white or
/// black, whichever reads at 4.5:1 or more (one of them always does) (<see cref="TextOn"/>).
/// </summary>
public static class ChartColours
{
    public const string Rate = "#1d4f91";
    public const string Baseline = "#6b7280";

    /// <summary>The colour of threshold lines and their labels.</summary>
    public const string Threshold = "#111111";

    /// <summary>The words drawn on a dark colour, and on a light one.</summary>
    public const string Light = "#ffffff";
    public const string Dark = "#000000";

    // The lightness ladder, as relative luminance: from near-black to the lightest colour that still has 3:1 against
    // white ((1.05 / 3) - 0.05 = 0.30, kept a little under).
    private const double Darkest = 0.035;
    private const double Lightest = 0.27;

    private const double PositiveHue = 140, NeutralHue = 36, NegativeHue = 0, DescriptiveHue = 215;

    /// <summary>One colour per graded option, in the options' order: ranked by polarity (positive, neutral, negative)
    /// then score (highest first), each a step lighter than the one before.</summary>
    public static IReadOnlyList<string> ForOptions(IReadOnlyList<(Polarity Polarity, double? Score)> options)
    {
        var ranked = Enumerable.Range(0, options.Count)
            .OrderBy(i => Rank(options[i].Polarity))
            .ThenByDescending(i => options[i].Score ?? double.MinValue)
            .ThenBy(i => i)
            .ToList();
        var colours = new string[options.Count];
        for (var step = 0; step < ranked.Count; step++)
        {
            var i = ranked[step];
            var hue = options[i].Polarity switch { Polarity.Positive => PositiveHue, Polarity.Negative => NegativeHue, _ => NeutralHue };
            colours[i] = OfLuminance(hue, options[i].Polarity == Polarity.Neutral ? 0.75 : 0.7, Step(step, ranked.Count));
        }

        return colours;
    }

    /// <summary>One colour per descriptive option, in the options' order: one neutral hue, darkest first, then lighter.</summary>
    public static IReadOnlyList<string> Descriptive(int count) =>
        Enumerable.Range(0, count).Select(i => OfLuminance(DescriptiveHue, 0.45, Step(i, count))).ToList();

    /// <summary>The polarity order of graded options: positive, neutral, negative.</summary>
    public static int Rank(Polarity polarity) => polarity switch { Polarity.Positive => 0, Polarity.Neutral => 1, _ => 2 };

    /// <summary>White or near-black, whichever has the more contrast on <paramref name="fill"/>.</summary>
    public static string TextOn(string fill) => Contrast(fill, Light) >= Contrast(fill, Dark) ? Light : Dark;

    /// <summary>WCAG relative luminance of a "#rrggbb" colour.</summary>
    public static double Luminance(string hex)
    {
        var (r, g, b) = Rgb(hex);
        return 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
    }

    /// <summary>WCAG contrast ratio of two colours.</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    public static (int R, int G, int B) Rgb(string hex) =>
        (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber), int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber), int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber));

    private static double Step(int index, int count) => count <= 1 ? Darkest : Darkest + (Lightest - Darkest) * index / (count - 1);

    private static double Linear(int channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>The colour of a hue and saturation (HSL) whose lightness gives the luminance wanted.</summary>
    private static string OfLuminance(double hue, double saturation, double luminance)
    {
        double low = 0, high = 1;
        var hex = Hsl(hue, saturation, 0.5);
        for (var i = 0; i < 30; i++)
        {
            var mid = (low + high) / 2;
            hex = Hsl(hue, saturation, mid);
            if (Luminance(hex) < luminance)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        // Rounding to whole channels can cross the 3:1 line by a hair: never lighter than the ladder's top.
        return Luminance(hex) > Lightest + 0.01 ? Hsl(hue, saturation, low) : hex;
    }

    private static string Hsl(double h, double s, double l)
    {
        var c = (1 - Math.Abs(2 * l - 1)) * s;
        var x = c * (1 - Math.Abs(h / 60 % 2 - 1));
        var m = l - c / 2;
        var (r, g, b) = h switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        static int Channel(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return $"#{Channel(r + m):x2}{Channel(g + m):x2}{Channel(b + m):x2}";
    }
}
