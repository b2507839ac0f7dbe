using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class QuestionFiguresTests
{
    [Fact]
    public void PositiveRate_ExcludesNotApplicable()
    {
        var template = Template(Scale("seen"));
        var returns = new ReturnsBuilder().EachAnswering("seen", "yes", "yes", "partly", "no", "na", "na");

        var seen = Aggregation.Run(template, returns).Question("seen");

        // 2 yes of 4 counted (the two "na" are out of the denominator): 2 / 4 = 0.5, not 2 / 6.
        Assert.Equal(4, seen.Counted);
        Assert.Equal(2, seen.Positive);
        Assert.Equal(2, seen.NotApplicable);
        Assert.Equal(0.5, seen.PositiveRate!.Value, 10);
    }

    [Fact]
    public void Options_ListEveryOfferedOptionButNotApplicable_WithShareOfCountedAnswers()
    {
        var template = Template(Scale("seen"));
        var returns = new ReturnsBuilder().EachAnswering("seen", "yes", "yes", "partly", "na");

        var seen = Aggregation.Run(template, returns).Question("seen");

        Assert.Equal(
            [new OptionFigure("yes", "Yes", 2, 2.0 / 3), new OptionFigure("partly", "Partly", 1, 1.0 / 3),
             new OptionFigure("no", "No", 0, 0)],
            seen.Options);
    }

    [Fact]
    public void SectionForOtherAgencyKinds_StoredAnswerIsNotCounted()
    {
        var template = new TemplateBuilder()
            .Section("all", null, Scale("seen"))
            .Section("school", ["education"], Scale("attendance"))
            .Build();
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "education", ("seen", "yes"), ("attendance", "yes"))
            .Submitted("C-1", 2, "police", ("seen", "no"), ("attendance", "no"));

        var figures = Aggregation.Run(template, returns);

        // The police "no" to the education-only question was stored but never shown.
        var attendance = figures.Question("attendance");
        Assert.Equal("school", attendance.SectionKey);
        Assert.Equal(1, attendance.Counted);
        Assert.Equal(1.0, attendance.PositiveRate!.Value, 10);
        Assert.Equal(2, figures.Question("seen").Counted);
    }

    [Fact]
    public void FailedShowIf_StoredAnswerIsNotCounted()
    {
        var template = Template(Scale("concern"), Scale("escalated", showIf: new ShowIf("concern", ["yes"])));
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("concern", "yes"), ("escalated", "yes"))
            .Submitted("C-2", 1, "police", ("concern", "no"), ("escalated", "no"))
            .Submitted("C-3", 1, "police", ("concern", "no"), ("escalated", "na"));

        var escalated = Aggregation.Run(template, returns).Question("escalated");

        // Only C-1 shows "escalated": the stale "no" and "na" of C-2 and C-3 are neither counted nor not applicable.
        Assert.Equal(1, escalated.Counted);
        Assert.Equal(1, escalated.Positive);
        Assert.Equal(0, escalated.NotApplicable);
    }

    [Fact]
    public void UnsubmittedReturns_AreNotCounted_ButAreReturns()
    {
        var template = Template(Scale("seen"));
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("seen", "yes"))
            .Draft("C-2", 1, "police", ("seen", "no"))
            .Draft("C-3", 1, "police", ("seen", "na"));

        var figures = Aggregation.Run(template, returns);

        Assert.Equal(3, figures.Returns);
        Assert.Equal(1, figures.SubmittedReturns);
        var seen = figures.Question("seen");
        Assert.Equal((1, 1, 0), (seen.Counted, seen.Positive, seen.NotApplicable));
        Assert.Equal(1.0, seen.PositiveRate!.Value, 10);
    }

    [Fact]
    public void ValueTheQuestionDoesNotOffer_IsNotCounted()
    {
        var template = Template(Scale("grade", "ofsted4"));
        var returns = new ReturnsBuilder().EachAnswering("grade", "good", "excellent", "", null);

        var grade = Aggregation.Run(template, returns).Question("grade");

        Assert.Equal(1, grade.Counted);
        Assert.Equal(0, grade.NotApplicable);
    }

    private static readonly QuestionDefinition HowSought = MultiChoice("how",
        Option("direct", Polarity.Positive, 2),
        Option("observed", Polarity.Neutral, 1),
        Option("parent-only", Polarity.Negative, 0),
        Option("na", Polarity.Neutral));

    [Fact]
    public void Multichoice_PositiveAndNegativeSelected_IsCountedButNotPositive()
    {
        var returns = new ReturnsBuilder().EachSelecting("how", ["direct", "parent-only"]);

        var how = Aggregation.Run(Template(HowSought), returns).Question("how");

        Assert.Equal((1, 0), (how.Counted, how.Positive));
        Assert.Equal(0.0, how.PositiveRate!.Value, 10);
    }

    [Fact]
    public void Multichoice_PositiveAndNeutralSelected_IsPositive()
    {
        var returns = new ReturnsBuilder().EachSelecting("how", ["observed", "direct"]);

        var how = Aggregation.Run(Template(HowSought), returns).Question("how");

        Assert.Equal((1, 1), (how.Counted, how.Positive));
        Assert.Equal(1.0, how.PositiveRate!.Value, 10);
    }

    [Fact]
    public void Multichoice_OnlyNotApplicable_IsNotCounted_AndEmptyIsNotAnswered()
    {
        var returns = new ReturnsBuilder().EachSelecting("how",
            ["na"], [], ["na", "direct"], ["observed"]);

        var how = Aggregation.Run(Template(HowSought), returns).Question("how");

        // ["na"] is not applicable, [] is unanswered, ["na","direct"] reads as ["direct"] (positive),
        // ["observed"] is neutral: 1 positive of 2 counted.
        Assert.Equal((2, 1, 1), (how.Counted, how.Positive, how.NotApplicable));
        Assert.Equal(0.5, how.PositiveRate!.Value, 10);
    }

    [Fact]
    public void Multichoice_WithAValueTheQuestionDoesNotOffer_IsNotCounted()
    {
        var returns = new ReturnsBuilder().EachSelecting("how", ["direct", "made-up"], ["direct"]);

        var how = Aggregation.Run(Template(HowSought), returns).Question("how");

        Assert.Equal((1, 1), (how.Counted, how.Positive));
        Assert.Equal(1, how.Options[0].Count);
    }

    [Fact]
    public void Multichoice_OptionShare_IsAnswersSelectingTheOption_OverCountedAnswers()
    {
        var returns = new ReturnsBuilder().EachSelecting("how",
            ["direct", "observed"], ["direct"], ["parent-only"], ["direct", "direct"]);

        var how = Aggregation.Run(Template(HowSought), returns).Question("how");

        // 4 counted; "direct" in 3 of them (the duplicate is one selection), "observed" 1, "parent-only" 1.
        Assert.Equal(
            [new OptionFigure("direct", "DIRECT", 3, 0.75), new OptionFigure("observed", "OBSERVED", 1, 0.25),
             new OptionFigure("parent-only", "PARENT-ONLY", 1, 0.25)],
            how.Options);
    }

    [Fact]
    public void DescriptiveChoice_HasCountsAndRate_ButIsNeverADevelopmentArea()
    {
        var send = Choice("send",
            Option("none", Polarity.Neutral), Option("sen-support", Polarity.Neutral), Option("ehcp", Polarity.Neutral),
            Option("na", Polarity.Neutral));
        var returns = new ReturnsBuilder().EachAnswering("send", "none", "none", "ehcp", "sen-support", "none", "ehcp", "na");

        var figures = Aggregation.Run(Template(send), returns);

        // Six counted, none positive: rate 0 would be a development area if the question judged practice.
        var q = figures.Question("send");
        Assert.Equal((6, 0, 1), (q.Counted, q.Positive, q.NotApplicable));
        Assert.Equal(0.0, q.PositiveRate!.Value, 10);
        Assert.Equal(Classification.Descriptive, q.Classification);
        Assert.Equal([3, 1, 2], q.Options.Select(o => o.Count));
        Assert.Null(figures.OverallRate);
    }

    [Fact]
    public void NumberAndText_HaveNoRate_ButCountAnsweredReturns()
    {
        var template = Template(Open("days", QuestionType.Number, "attendance"), Open("notes", QuestionType.Text));
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("days", "4"), ("notes", "Seen at school"))
            .Submitted("C-2", 1, "police", ("days", "0"), ("notes", "   "))
            .Submitted("C-3", 1, "police", ("days", null))
            .Draft("C-4", 1, "police", ("days", "12"), ("notes", "draft"));

        var figures = Aggregation.Run(template, returns);

        var days = figures.Question("days");
        Assert.Equal((2, 0, null, Classification.NoRate), (days.Counted, days.Positive, days.PositiveRate, days.Classification));
        Assert.Empty(days.Options);
        var notes = figures.Question("notes");
        Assert.Equal((1, null, Classification.NoRate), (notes.Counted, notes.PositiveRate, notes.Classification));
        Assert.Empty(figures.Themes);
        Assert.Null(figures.OverallRate);
    }
}
