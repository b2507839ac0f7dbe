using AuditTool.Domain.Templates;
using System.Globalization;
using AuditTool.Domain.Aggregation;

namespace AuditTool.Domain.Findings;

/// <summary>A strength or development area the figures suggest, with the numbers behind it.</summary>
public sealed record Proposal(string Kind, string? QuestionKey, string? Theme, string Title, string Narrative, double Rate, double Counted);

/// <summary>Proposes findings from the audit's thresholds: every question classified a strength or development area, and every
/// theme whose weighted rate crosses a threshold with at least the minimum count.</summary>
public static class Proposals
{
    public static IReadOnlyList<Proposal> From(AuditFigures figures, AuditThresholds thresholds, IReadOnlyDictionary<string, string>? themeNames = null)
    {
        var proposals = new List<Proposal>();
        foreach (var q in figures.Questions)
        {
            if (q.PositiveRate is not { } rate || q.Classification is not (Classification.Strength or Classification.DevelopmentArea))
            {
                continue;
            }

            var kind = q.Classification == Classification.Strength ? FindingKinds.Strength : FindingKinds.Development;
            proposals.Add(new Proposal(kind, q.Key, null, q.Text,
                $"{Percent(rate)} of {q.Counted} counted answers were positive ({q.Positive} of {q.Counted}).", rate, q.Counted));
        }

        foreach (var t in figures.Themes)
        {
            if (t.Rate is not { } rate || t.WeightedCounted < thresholds.MinimumCount)
            {
                continue;
            }

            var kind = rate >= thresholds.Strength ? FindingKinds.Strength : rate <= thresholds.Development ? FindingKinds.Development : null;
            if (kind is not null)
            {
                proposals.Add(new Proposal(kind, null, t.Theme, $"Theme: {DisplayNames.Theme(t.Theme, themeNames)}",
                    $"{Percent(rate)} positive across the theme's {t.QuestionKeys.Count} question{(t.QuestionKeys.Count == 1 ? "" : "s")} (weighted).",
                    rate, t.WeightedCounted));
            }
        }

        return proposals
            .OrderBy(p => p.Kind == FindingKinds.Strength ? 0 : 1)
            .ThenBy(p => p.Kind == FindingKinds.Strength ? -p.Rate : p.Rate)
            .ToList();
    }

    public static string Percent(double rate) => rate.ToString("P0", CultureInfo.GetCultureInfo("en-GB")).Replace(" ", "");
}
