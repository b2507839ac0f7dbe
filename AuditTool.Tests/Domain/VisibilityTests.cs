using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Domain;

public class VisibilityTests
{
    private static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("all", null, Q("disagreement"), Q("escalated", showIf: new ShowIf("disagreement", ["yes", "partly"])))
        .Section("school", ["education"], Q("attendance"), Q("plan", showIf: new ShowIf("attendance", ["no"])))
        .Section("after", null, Q("follow", showIf: new ShowIf("plan", ["yes"])))
        .Build();

    private static bool Shown(string key, string kind, params (string Key, object? Value)[] answers) =>
        Visibility.IsShown(Template, Template.Questions.Single(q => q.Key == key), kind,
            answers.ToDictionary(a => a.Key, a => a.Value));

    [Fact]
    public void Condition_HoldsOnlyForTheListedAnswers()
    {
        Assert.True(Shown("escalated", "police", ("disagreement", "yes")));
        Assert.True(Shown("escalated", "police", ("disagreement", "partly")));
        Assert.False(Shown("escalated", "police", ("disagreement", "no")));
        Assert.False(Shown("escalated", "police"));
    }

    [Fact]
    public void Section_ForOtherAgencyKinds_IsHidden()
    {
        Assert.True(Shown("attendance", "education"));
        Assert.False(Shown("attendance", "police"));
    }

    [Fact]
    public void Condition_OnAHiddenQuestion_IsFalse_EvenIfAnAnswerWasStored()
    {
        // "plan" is in the education-only section: for police it is hidden, so "follow" is hidden too.
        Assert.True(Shown("follow", "education", ("attendance", "no"), ("plan", "yes")));
        Assert.False(Shown("follow", "police", ("attendance", "no"), ("plan", "yes")));
        Assert.False(Shown("follow", "education", ("attendance", "yes"), ("plan", "yes")));
    }

    [Fact]
    public void Condition_OnAMultichoiceAnswer_HoldsWhenAnySelectedValueIsListed()
    {
        var t = new TemplateBuilder()
            .Section("s", null,
                Q("risks", type: QuestionType.MultiChoice, options:
                [
                    new ScaleOption("cce", "Criminal exploitation", 1, Polarity.Neutral),
                    new ScaleOption("cse", "Sexual exploitation", 1, Polarity.Neutral),
                ]),
                Q("nrm", showIf: new ShowIf("risks", ["cce"])))
            .Build();
        var nrm = t.Questions.Last();

        Assert.True(Visibility.IsShown(t, nrm, "police", new Dictionary<string, object?> { ["risks"] = new[] { "cse", "cce" } }));
        Assert.False(Visibility.IsShown(t, nrm, "police", new Dictionary<string, object?> { ["risks"] = new[] { "cse" } }));
    }
}
