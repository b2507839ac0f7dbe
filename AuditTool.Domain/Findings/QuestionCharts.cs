using System.Globalization;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

/// <summary>How a figure of the report draws its questions' answers.</summary>
public enum ChartLayout
{
    /// <summary>Each counted answer chose one option (a scale or a single choice): a question's shares add up to 100%,
    /// so they make one stacked bar per question, with a legend. Questions offering the same options share a figure.</summary>
    Stacked,

    /// <summary>An answer could choose several options (multichoice): a question's shares can add up to more than 100%,
    /// so each option is a bar of its own, the share of counted answers that chose it, labelled by the option. One
    /// figure per question; no legend.</summary>
    BarPerOption,
}

/// <summary>
/// One figure of the report's question charts: what the report page's chart, the Word report's chart image, its alt
/// text and both tables are drawn from, so none of them can say something the others do not.
/// </summary>
/// <param name="Questions">Stacked: every question in the figure, all offering <see cref="Options"/>; bar per option:
/// the one question.</param>
public sealed record QuestionFigure(string Title, ChartLayout Layout, IReadOnlyList<QuestionChart> Questions)
{
    /// <summary>A stacked figure of graded questions: the audit's thresholds, drawn as labelled lines across the bars
    /// (the positive part of each bar starts at 0, so it reaches the strength line or stays short of the development
    /// line). Null for descriptive and multichoice figures, which have no thresholds to meet.</summary>
    public AuditTool.Domain.Audits.Thresholds? Thresholds { get; init; }

    /// <summary>The threshold lines as drawn: the label and the position in percent, strength first.</summary>
    public IReadOnlyList<(string Label, double Percent)> ThresholdLines => Thresholds is { } t
        ? [($"Strength {Proposals.Percent(t.Strength)}", t.Strength * 100), ($"Development {Proposals.Percent(t.Development)}", t.Development * 100)]
        : [];

    /// <summary>Stacked: the legend (the options every question of the figure offers); bar per option: the bars.</summary>
    public IReadOnlyList<GradeShare> Options => Questions[0].Shares;

    /// <summary>What the figure shows, in words: the alt text of its image.</summary>
    public string Description => Layout == ChartLayout.Stacked
        ? $"{Title}, as a stacked bar per question. " + string.Join(" ", Questions.Select(q =>
            $"{q.Text}: {string.Join(", ", q.Shares.Select(s => $"{s.Label} {s.Percent}"))} ({q.Counted} counted).")) +
          (Thresholds is { } t ? $" Lines mark the strength threshold ({Proposals.Percent(t.Strength)} positive) and the development threshold ({Proposals.Percent(t.Development)})." : "")
        : $"{Title}, as a bar per answer: {SeveralAnswers(Questions[0])} " +
          string.Join(" ", Options.Select(s => $"{s.Label}: {s.Percent} ({s.Count} of {Questions[0].Counted}).")).TrimEnd();

    /// <summary>The table of the figure: the same figures as the chart, in the same words.</summary>
    public IReadOnlyList<string> Header => Layout == ChartLayout.Stacked
        ? ["Question", .. Options.Select(o => o.Label), "Counted"]
        : ["Answer", "Share of answers that chose it", "Answers that chose it"];

    public IReadOnlyList<string[]> Rows => Layout == ChartLayout.Stacked
        ? Questions.Select(q => (string[])[q.Text, .. q.Shares.Select(s => s.Percent), Number(q.Counted)]).ToList()
        : Options.Select(s => new[] { s.Label, s.Percent, $"{Number(s.Count)} of {Number(Questions[0].Counted)}" }).ToList();

    /// <summary>Why a multichoice figure's bars do not add up to 100%.</summary>
    public static string SeveralAnswers(QuestionChart question) =>
        $"several answers could be chosen, so each bar is the share of the {Number(question.Counted)} counted answers that " +
        "chose it and the bars can add up to more than 100%.";

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The one place that turns a question's figures into chart data. Per option (in the template's order, "na" aside),
/// the share of counted answers that chose it: for a scale or single choice the shares add up to 100% and the options
/// stack in one bar; for multichoice each option is a bar of its own.
/// </summary>
public static class QuestionCharts
{
    /// <summary>A question's chart data from its figures and the options its template offers (for their polarity and
    /// colour). A graded question (some option has a polarity) keeps its scale's order with the positive options first
    /// (positive, neutral, negative, each by score, highest first: the built-in scales' own order), so the positive part
    /// of its stacked bar starts at 0 and can be read against the threshold lines; its colours follow the polarity. A
    /// descriptive question (every option neutral) keeps the template's order and takes the neutral palette.</summary>
    public static QuestionChart For(QuestionFigures figures, IReadOnlyList<ScaleOption> offered)
    {
        var options = figures.Options.Select(o => offered.FirstOrDefault(x => x.Value == o.Value)).ToList();
        var polarities = options.Select(o => o?.Polarity ?? Polarity.Neutral).ToList();
        var graded = polarities.Any(p => p != Polarity.Neutral);
        var colours = graded
            ? ChartColours.ForOptions(options.Select((o, i) => (polarities[i], o?.Score)).ToList())
            : ChartColours.Descriptive(options.Count);
        var shares = figures.Options.Select((o, i) => new GradeShare(o.Label, o.Share, o.Count, polarities[i], colours[i])).ToList();
        if (graded && figures.Type != QuestionType.MultiChoice)
        {
            shares = Enumerable.Range(0, shares.Count)
                .OrderBy(i => ChartColours.Rank(polarities[i]))
                .ThenByDescending(i => options[i]?.Score ?? double.MinValue)
                .ThenBy(i => i)
                .Select(i => shares[i])
                .ToList();
        }

        return new QuestionChart(figures.Key, figures.Text, figures.Type, figures.Counted, figures.PositiveRate, shares);
    }

    /// <summary>
    /// The figures of the report's question charts, in the questions' order: questions with nothing counted are left
    /// out; scale and single-choice questions offering the same options share a stacked figure; each multichoice
    /// question is a figure of its own, a bar per option. A graded stacked figure carries the audit's thresholds, drawn
    /// as lines on its chart.
    /// </summary>
    public static IReadOnlyList<QuestionFigure> Figures(IReadOnlyList<QuestionChart> questions, AuditTool.Domain.Audits.Thresholds? thresholds = null) =>
        questions
            .Where(q => q.Shares.Count > 0 && q.Counted > 0)
            .GroupBy(q => q.Layout == ChartLayout.BarPerOption
                ? "multichoice|" + q.Key
                : $"stacked|{q.IsGraded}|" + string.Join("|", q.Shares.Select(s => s.Label)))
            .Select(g => g.ToList())
            .Select(g => g[0].Layout == ChartLayout.BarPerOption
                ? new QuestionFigure($"{g[0].Text} (the answers chosen)", ChartLayout.BarPerOption, g)
                : new QuestionFigure($"Share of each answer ({string.Join(", ", g[0].Shares.Select(s => s.Label))})", ChartLayout.Stacked, g)
                {
                    Thresholds = g[0].IsGraded ? thresholds ?? AuditTool.Domain.Audits.Thresholds.Default : null,
                })
            .ToList();
}
