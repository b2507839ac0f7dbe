using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Domain;

public class TemplateDiffTests
{
    [Fact]
    public void Compare_FindsAddedRemovedRewordedAndChangedQuestions()
    {
        var v1 = new TemplateBuilder().Section("s", null, Q("seen"), Q("voice"), Q("plan")).Build();
        var v2 = new TemplateBuilder().Section("s", null,
            Q("seen", text: "Was the child seen alone?"), Q("voice", weight: 2), Q("contingency")).Build();

        var diff = TemplateDiff.Compare(v1, v2);

        Assert.Equal(["contingency"], diff.Added);
        Assert.Equal(["plan"], diff.Removed);
        var reworded = Assert.Single(diff.Reworded);
        Assert.Equal(("seen", "A question?", "Was the child seen alone?"), (reworded.Key, reworded.OldText, reworded.NewText));
        var changed = Assert.Single(diff.Changed);
        Assert.Equal("voice", changed.Key);
        Assert.Contains("weight 1 → 2", changed.What);
    }

    [Fact]
    public void Compare_IdenticalVersions_IsEmpty()
    {
        var v1 = new TemplateBuilder().Section("s", null, Q("seen"), Q("voice", showIf: new ShowIf("seen", ["yes"]))).Build();

        Assert.True(TemplateDiff.Compare(v1, v1 with { Version = 2 }).IsEmpty);
    }
}
