using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

/// <summary>
/// Colours of answer options in charts, the same on the report page and in the Word report: they follow the score.
/// Negative options are reds, the lowest score darkest; positive options greens, the highest score darkest; neutral
/// options amber and greys. Options of the same polarity are told apart by shade. Every colour keeps at least 3:1
/// contrast against white (WCAG 2.2 1.4.11).
/// </summary>
public static class ChartColours
{
    public const string Rate = "#1d4f91";
    public const string Baseline = "#6b7280";

    private static readonly string[] Reds = ["#7f1d1d", "#b91c1c", "#dc2626"];
    private static readonly string[] Greens = ["#14532d", "#15803d", "#16a34a"];
    private static readonly string[] Neutrals = ["#92400e", "#4b5563", "#6b7280"];

    /// <summary>One colour per option, in the options' order.</summary>
    public static IReadOnlyList<string> ForOptions(IReadOnlyList<(Polarity Polarity, double? Score)> options)
    {
        var colours = new string[options.Count];
        Assign(options, colours, Polarity.Negative, Reds, lowestFirst: true);
        Assign(options, colours, Polarity.Positive, Greens, lowestFirst: false);
        Assign(options, colours, Polarity.Neutral, Neutrals, lowestFirst: false);
        return colours;
    }

    private static void Assign(IReadOnlyList<(Polarity Polarity, double? Score)> options, string[] colours, Polarity polarity,
        string[] shades, bool lowestFirst)
    {
        var ranked = Enumerable.Range(0, options.Count).Where(i => options[i].Polarity == polarity);
        // Darkest first: the lowest-scoring negative, the highest-scoring positive; equal scores keep their order.
        ranked = lowestFirst
            ? ranked.OrderBy(i => options[i].Score ?? double.MaxValue).ThenBy(i => i)
            : ranked.OrderByDescending(i => options[i].Score ?? double.MinValue).ThenBy(i => i);
        var n = 0;
        foreach (var i in ranked)
        {
            colours[i] = shades[Math.Min(n++, shades.Length - 1)];
        }
    }
}
