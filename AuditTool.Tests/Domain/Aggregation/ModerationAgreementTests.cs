using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class ModerationAgreementTests
{
    private static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("all", null, Scale("overall", "ofsted4"), Scale("seen"))
        .Section("school", ["education"], Scale("attendance"))
        .Build();

    [Fact]
    public void Agreement_AndSignedDifference_OverallAndPerAgency()
    {
        // ofsted4 scores: outstanding 4, good 3, requires-improvement 2, inadequate 1.
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("overall", "good"))                 // vs RI: 3 - 2 = +1, disagree
            .Submitted("C-1", 2, "health", ("overall", "requires-improvement")) // vs RI: 0, agree
            .Submitted("C-2", 1, "police", ("overall", "outstanding"))          // vs outstanding: 0, agree
            .Submitted("C-2", 2, "health", ("overall", "inadequate"));          // vs outstanding: 1 - 4 = -3, disagree
        ModerationData[] moderation =
        [
            new("C-1", "overall", "requires-improvement"),
            new("C-2", "overall", "outstanding"),
        ];

        var agreement = Aggregation.Run(Template, returns, moderation).Agreement;

        // Overall: 2 of 4 agree; (1 + 0 + 0 - 3) / 4 = -0.5. Agency 1: 1 of 2, (1 + 0) / 2 = +0.5. Agency 2: 1 of 2, (0 - 3) / 2 = -1.5.
        Assert.Equal(new AgreementFigures(4, 2, 0.5, 4, -0.5), agreement.Overall);
        Assert.Equal([1L, 2L], agreement.ByAgency.Keys.Order());
        Assert.Equal(new AgreementFigures(2, 1, 0.5, 2, 0.5), agreement.ByAgency[1]);
        Assert.Equal(new AgreementFigures(2, 1, 0.5, 2, -1.5), agreement.ByAgency[2]);
    }

    [Fact]
    public void Agreement_OnlyPairsAnswersThatCount()
    {
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("overall", "good"), ("seen", "yes"), ("attendance", "no"))
            .Draft("C-1", 2, "health", ("overall", "inadequate"))
            .Submitted("C-1", 3, "social-care", ("seen", "na"))
            .Submitted("C-1", 4, "education", ("attendance", "no"));
        ModerationData[] moderation =
        [
            new("C-1", "overall", "good"),         // agency 1 agrees; agency 2 is a draft; 3 and 4 did not answer
            new("C-1", "seen", "yes"),             // agency 1 agrees; agency 3 said "na"
            new("C-1", "attendance", "yes"),       // hidden for police; agency 4 (education) disagrees: 0 - 2 = -2
            new("C-1", "no-such-question", "yes"),
            new("C-9", "overall", "good"),         // no returns for C-9
        ];

        var agreement = Aggregation.Run(Template, returns, moderation).Agreement;

        Assert.Equal(new AgreementFigures(3, 2, 2.0 / 3, 3, -2.0 / 3), agreement.Overall);
        Assert.Equal([1L, 4L], agreement.ByAgency.Keys.Order());
        Assert.Equal(new AgreementFigures(1, 0, 0.0, 1, -2.0), agreement.ByAgency[4]);
    }

    [Fact]
    public void Agreement_MultichoiceIsEqualAsSets_AndHasNoScore()
    {
        var template = Template(MultiChoice("how",
            Option("direct", Polarity.Positive, 2), Option("observed", Polarity.Neutral, 1), Option("na", Polarity.Neutral)));
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("how", new[] { "observed", "direct" }))
            .Submitted("C-1", 2, "health", ("how", new[] { "direct" }));
        ModerationData[] moderation = [new("C-1", "how", "direct, observed")];

        var overall = Aggregation.Run(template, returns, moderation).Agreement.Overall;

        Assert.Equal(new AgreementFigures(2, 1, 0.5, 0, null), overall);
    }

    [Fact]
    public void Agreement_ModeratedNotApplicable_DisagreesWithoutAScore()
    {
        var returns = new ReturnsBuilder().Submitted("C-1", 1, "police", ("seen", "partly"));

        var overall = Aggregation.Run(Template, returns, [new ModerationData("C-1", "seen", "na")]).Agreement.Overall;

        Assert.Equal(new AgreementFigures(1, 0, 0.0, 0, null), overall);
    }

    [Fact]
    public void Agreement_LaterJudgementReplacesEarlier_AndUnofferedValuesAreIgnored()
    {
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("overall", "good"))
            .Submitted("C-2", 1, "police", ("overall", "good"));
        ModerationData[] moderation =
        [
            new("C-1", "overall", "inadequate"),
            new("C-1", "overall", "good"),
            new("C-2", "overall", "excellent"),
        ];

        var overall = Aggregation.Run(Template, returns, moderation).Agreement.Overall;

        Assert.Equal(new AgreementFigures(1, 1, 1.0, 1, 0.0), overall);
    }

    [Fact]
    public void Agreement_WithoutModeration_HasNoPairs()
    {
        var returns = new ReturnsBuilder().Submitted("C-1", 1, "police", ("overall", "good"));

        var agreement = Aggregation.Run(Template, returns).Agreement;

        Assert.Equal(new AgreementFigures(0, 0, null, 0, null), agreement.Overall);
        Assert.Empty(agreement.ByAgency);
    }
}
