using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class AgencyAndCaseFiguresTests
{
    private static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("all", null,
            Scale("seen", themes: ["voice"]),
            Scale("plan", weight: 3, themes: ["voice"]),
            Choice("send", Option("none", Polarity.Neutral), Option("ehcp", Polarity.Neutral)),
            Open("notes", QuestionType.Text))
        .Section("school", ["education"], Scale("attendance", themes: ["education"]))
        .Build();

    // Agency 20 (education) is listed first but sorts after agency 10 (police); agency 30 has only a draft.
    private static readonly ReturnsBuilder Returns = new ReturnsBuilder()
        .Submitted("C-2", 20, "education", ("seen", "yes"), ("plan", "yes"), ("attendance", "no"), ("send", "ehcp"))
        .Submitted("C-1", 10, "police", ("seen", "yes"), ("plan", "no"), ("attendance", "yes"), ("notes", "x"))
        .Submitted("C-2", 10, "police", ("seen", "partly"), ("plan", "na"), ("send", "none"))
        .Submitted("C-1", 20, "education", ("seen", "no"), ("plan", "yes"), ("attendance", "yes"))
        .Draft("C-1", 30, "health", ("seen", "yes"), ("plan", "yes"));

    [Fact]
    public void Agencies_OnePerAgencyWithAReturn_InAgencyIdOrder()
    {
        var agencies = Aggregation.Run(Template, Returns).Agencies;

        Assert.Equal([10L, 20L, 30L], agencies.Select(a => a.AgencyId));
        Assert.Equal([(2, 2), (2, 2), (1, 0)], agencies.Select(a => (a.Returns, a.Submitted)));
    }

    [Fact]
    public void AgencyFigures_AreTheSameFiguresRestrictedToTheAgency()
    {
        var figures = Aggregation.Run(Template, Returns);
        var police = figures.Agencies[0];
        var education = figures.Agencies[1];

        // Police: seen yes, partly -> 1/2; plan no, na -> 0/1; attendance hidden for police -> 0 counted.
        Assert.Equal((2, 1), (police.Question("seen").Counted, police.Question("seen").Positive));
        Assert.Equal((1, 0, 1), (police.Question("plan").Counted, police.Question("plan").Positive, police.Question("plan").NotApplicable));
        Assert.Equal(0, police.Question("attendance").Counted);
        Assert.Null(police.Question("attendance").PositiveRate);
        // Education: seen yes, no -> 1/2; plan yes, yes -> 2/2; attendance no, yes -> 1/2.
        Assert.Equal(0.5, education.Question("attendance").PositiveRate!.Value, 10);
        // Voice, education: (1 x 1 + 3 x 2) / (1 x 2 + 3 x 2) = 7 / 8. Police: (1 x 1 + 3 x 0) / (1 x 2 + 3 x 1) = 1 / 5.
        Assert.Equal(7.0 / 8, education.Themes.Single(t => t.Theme == "voice").Rate!.Value, 10);
        Assert.Equal(1.0 / 5, police.Themes.Single(t => t.Theme == "voice").Rate!.Value, 10);
        // All five police answers are below the minimum count.
        Assert.Equal(Classification.TooFewAnswers, police.Question("seen").Classification);
    }

    [Fact]
    public void OverallRate_IsUnweightedOverRatedNonDescriptiveQuestions()
    {
        var figures = Aggregation.Run(Template, Returns);

        // Police: seen 1/2 + plan 0/1 = 1/3 (send, notes and the weight 3 of "plan" play no part).
        Assert.Equal(1.0 / 3, figures.Agencies[0].OverallRate!.Value, 10);
        // Education: seen 1/2 + plan 2/2 + attendance 1/2 = 4/6.
        Assert.Equal(4.0 / 6, figures.Agencies[1].OverallRate!.Value, 10);
        Assert.Null(figures.Agencies[2].OverallRate);
        // Everyone: 5 positive of 9 counted.
        Assert.Equal(5.0 / 9, figures.OverallRate!.Value, 10);
    }

    [Fact]
    public void Cases_InOrderOfFirstAppearance_CountRatedNonDescriptiveAnswers()
    {
        var cases = Aggregation.Run(Template, Returns).Cases;

        // C-2: education seen yes, plan yes, attendance no; police seen partly (plan na, send descriptive) -> 2 of 4.
        // C-1: police seen yes, plan no, attendance hidden; education seen no, plan yes, attendance yes -> 3 of 5.
        Assert.Equal(
            [new CaseFigures("C-2", 2, 2, 4, 2, 0.5), new CaseFigures("C-1", 3, 2, 5, 3, 0.6)],
            cases);
    }
}
