using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Templates;

namespace AuditTool.Tests.Domain;

/// <summary>The one function that turns a question's figures into chart data, for the report page and the Word report.</summary>
public class QuestionChartsTests
{
    private static readonly ScaleOption[] Actions =
    [
        new("strategy", "Strategy meeting held", 2, Polarity.Positive),
        new("nrm", "National Referral Mechanism referral made", 2, Polarity.Positive),
        new("plan", "Safety or disruption plan agreed", 2, Polarity.Positive),
        new("shared", "Information shared, with no further action", 1, Polarity.Neutral),
        new("none", "No action taken", 0, Polarity.Negative),
    ];

    /// <summary>30 counted answers, several actions each: 21, 15, 12, 15 and 13 chose them (70%, 50%, 40%, 50%, 43%: 253%).</summary>
    private static QuestionFigures Multichoice(string key = "actions", string text = "What was done once the risk was recognised?")
    {
        int[] chose = [21, 15, 12, 15, 13];
        return new QuestionFigures(key, "s", text, [], 1, QuestionType.MultiChoice, 30, 24, 0, 0.8,
            Actions.Select((o, i) => new OptionFigure(o.Value, o.Label, chose[i], chose[i] / 30.0)).ToList(), Classification.Strength);
    }

    private static QuestionFigures Graded(string key, params int[] counts)
    {
        var options = BuiltInScales.All["ofsted4"];
        var counted = counts.Sum();
        return new QuestionFigures(key, "s", $"Question {key}?", [], 1, QuestionType.Scale, counted, counts[0] + counts[1], 0, null,
            options.Select((o, i) => new OptionFigure(o.Value, o.Label, counts[i], (double)counts[i] / counted)).ToList(), Classification.Mixed);
    }

    [Fact]
    public void MultichoiceQuestion_WhoseSharesAddUpToMoreThan100Percent_IsABarPerOption_EachTheShareItsTableShows()
    {
        var figures = Multichoice();

        var figure = QuestionCharts.Figures([QuestionCharts.For(figures, Actions)]).Single();

        Assert.True(figures.Options.Sum(o => o.Share) > 2.5);
        Assert.Equal(ChartLayout.BarPerOption, figure.Layout);
        Assert.Equal(Actions.Select(a => a.Label), figure.Options.Select(o => o.Label));
        Assert.Equal(figures.Options.Select(o => o.Share), figure.Options.Select(o => o.Share));
        Assert.Equal(figures.Options.Select(o => o.Count), figure.Options.Select(o => o.Count));
        Assert.Equal(["Answer", "Share of answers that chose it", "Answers that chose it"], figure.Header);
        Assert.Equal(figure.Options.Select(o => new[] { o.Label, Proposals.Percent(o.Share), $"{o.Count} of 30" }), figure.Rows);
        Assert.Equal(["No action taken", "43%", "13 of 30"], figure.Rows[^1]);
        Assert.Contains("No action taken: 43% (13 of 30).", figure.Description);
        Assert.Contains("can add up to more than 100%", figure.Description);
        // The option's colour follows its polarity, as in every chart: the one negative option is the darkest red.
        Assert.Equal(ChartColours.ForOptions(Actions.Select(a => (a.Polarity, a.Score)).ToList()), figure.Options.Select(o => o.Colour));
    }

    [Fact]
    public void SingleChoiceQuestions_WithTheSameOptions_StackInOneFigure_AndEachMultichoiceQuestionHasItsOwn()
    {
        var ofsted = BuiltInScales.All["ofsted4"];
        var charts = new[]
        {
            QuestionCharts.For(Graded("a", 1, 4, 3, 2), ofsted),
            QuestionCharts.For(Multichoice("first"), Actions),
            QuestionCharts.For(Graded("b", 0, 5, 5, 0), ofsted),
            QuestionCharts.For(Multichoice("second", "What else was done?"), Actions),
            QuestionCharts.For(Graded("nothing", 0, 0, 0, 0) with { Counted = 0 }, ofsted),
        };

        var figures = QuestionCharts.Figures(charts);

        Assert.Equal([ChartLayout.Stacked, ChartLayout.BarPerOption, ChartLayout.BarPerOption], figures.Select(f => f.Layout));
        Assert.Equal(["a", "b"], figures[0].Questions.Select(q => q.Key));
        Assert.All(figures[0].Questions, q => Assert.Equal(1.0, q.Shares.Sum(s => s.Share), 9));
        Assert.Equal(["Question", "Outstanding", "Good", "Requires improvement", "Inadequate", "Counted"], figures[0].Header);
        Assert.Equal(["Question a?", "10%", "40%", "30%", "20%", "10"], figures[0].Rows[0]);
        Assert.Equal(["first", "second"], figures.Skip(1).Select(f => f.Questions.Single().Key));
    }

    [Fact]
    public void GradedQuestion_PutsPositiveOptionsFirst_AndCarriesTheAuditsThresholds_ADescriptiveOneNeither_InDistinctNeutralShades()
    {
        // A custom scale listed worst first: the chart still starts with the positive part, read against the lines.
        ScaleOption[] worstFirst = [new("poor", "Poor", 1, Polarity.Negative), new("fair", "Fair", 2, Polarity.Neutral), new("strong", "Strong", 3, Polarity.Positive)];
        ScaleOption[] send = [new("none", "None", 0, Polarity.Neutral), new("sen", "SEN support", 0, Polarity.Neutral), new("ehcp", "EHCP", 0, Polarity.Neutral)];
        QuestionFigures Figures(string key, ScaleOption[] options, params int[] counts) =>
            new(key, "s", $"Question {key}?", [], 1, key == "send" ? QuestionType.Choice : QuestionType.Scale, counts.Sum(), 0, 0, null,
                options.Select((o, i) => new OptionFigure(o.Value, o.Label, counts[i], (double)counts[i] / counts.Sum())).ToList(), Classification.Mixed);

        var figures = QuestionCharts.Figures(
            [QuestionCharts.For(Figures("grade", worstFirst, 1, 2, 7), worstFirst), QuestionCharts.For(Figures("send", send, 5, 3, 2), send)],
            new AuditTool.Domain.Audits.Thresholds(Strength: 0.7, Development: 0.4));

        var graded = figures[0];
        Assert.Equal(["Strong", "Fair", "Poor"], graded.Options.Select(o => o.Label));
        Assert.Equal(["Question grade?", "70%", "20%", "10%", "10"], graded.Rows[0]);
        Assert.Equal([("Strength 70%", 70.0), ("Development 40%", 40.0)], graded.ThresholdLines);
        Assert.Contains("strength threshold (70% positive)", graded.Description);

        var descriptive = figures[1];
        Assert.Null(descriptive.Thresholds);
        Assert.Empty(descriptive.ThresholdLines);
        Assert.Equal(["None", "SEN support", "EHCP"], descriptive.Options.Select(o => o.Label));
        var negative = ChartColours.ForOptions([(Polarity.Negative, 0)]).Single();
        Assert.DoesNotContain(negative, descriptive.Options.Select(o => o.Colour));
        var luminance = descriptive.Options.Select(o => ChartColours.Luminance(o.Colour)).ToList();
        Assert.True(luminance[1] - luminance[0] >= 0.08 && luminance[2] - luminance[1] >= 0.08, string.Join(", ", luminance));
        Assert.All(descriptive.Options.Concat(graded.Options), o => Assert.True(ChartColours.Contrast(o.Colour, "#ffffff") >= 3, $"{o.Label} {o.Colour}"));
        Assert.All(descriptive.Options.Concat(graded.Options), o => Assert.True(ChartColours.Contrast(o.Colour, ChartColours.TextOn(o.Colour)) >= 4.5, $"words on {o.Colour}"));
    }
}
