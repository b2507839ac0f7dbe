using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Domain;

public class TemplateValidatorTests
{
    [Fact]
    public void Valid_Template_HasNoProblems()
    {
        var t = new TemplateBuilder()
            .Section("a", null, Q("seen"), Q("voice", showIf: new ShowIf("seen", ["yes", "partly"])))
            .Build();

        Assert.Empty(TemplateValidator.Validate(t));
    }

    [Fact]
    public void DuplicateQuestionKeys_AreRefused()
    {
        var t = new TemplateBuilder().Section("a", null, Q("seen")).Section("b", null, Q("seen")).Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("\"seen\"") && p.Contains("unique"));
    }

    [Fact]
    public void ShowIf_OnALaterQuestion_IsRefused()
    {
        var t = new TemplateBuilder()
            .Section("a", null, Q("voice", showIf: new ShowIf("seen", ["yes"])), Q("seen"))
            .Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("not an earlier question"));
    }

    [Fact]
    public void ShowIf_WithAValueTheQuestionDoesNotOffer_IsRefused()
    {
        var t = new TemplateBuilder()
            .Section("a", null, Q("seen"), Q("voice", showIf: new ShowIf("seen", ["maybe"])))
            .Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("\"maybe\"") && p.Contains("does not offer"));
    }

    [Fact]
    public void UnknownScale_IsRefused()
    {
        var t = new TemplateBuilder().Section("a", null, Q("seen", scale: "five-stars")).Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("\"five-stars\" does not exist"));
    }

    [Fact]
    public void ChoiceWithOneOption_IsRefused()
    {
        var t = new TemplateBuilder()
            .Section("a", null, Q("lead", type: QuestionType.Choice, options: [new ScaleOption("sc", "Social care", 1, Polarity.Neutral)]))
            .Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("at least two options"));
    }

    [Fact]
    public void NonPositiveWeight_IsRefused()
    {
        var t = new TemplateBuilder().Section("a", null, Q("seen", weight: 0)).Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("weight must be a positive number"));
    }

    [Fact]
    public void EmptyQuestionText_IsRefused()
    {
        var t = new TemplateBuilder().Section("a", null, Q("seen", text: "  ")).Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("\"seen\" has no text"));
    }

    [Fact]
    public void UnknownAgencyKind_IsRefused()
    {
        var t = new TemplateBuilder().Section("a", ["navy"], Q("seen")).Build();

        Assert.Contains(TemplateValidator.Validate(t), p => p.Contains("\"navy\" is not an agency kind"));
    }
}
