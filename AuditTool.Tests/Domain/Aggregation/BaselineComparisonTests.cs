using AuditTool.Domain.Aggregation;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class BaselineComparisonTests
{
    [Fact]
    public void Change_IsInPercentagePoints_ForQuestionsAndThemesInBothVersions()
    {
        // Version 1 asks "dropped" and "seen"; version 2 drops "dropped" and adds "added" before "seen".
        var baseline = Aggregation.Run(
            Template(Scale("dropped", themes: ["old"]), Scale("seen", themes: ["voice"])),
            new ReturnsBuilder().EachAnswering("seen", "yes", "no").EachAnswering("dropped", "yes"));
        var now = Aggregation.Run(
            Template(Scale("added", themes: ["voice"]), Scale("seen", themes: ["voice"])),
            new ReturnsBuilder().EachAnswering("seen", "yes", "yes", "yes", "no").EachAnswering("added", "no"));

        var change = AuditAggregator.Compare(baseline, now);

        // seen: 1/2 = 0.5 -> 3/4 = 0.75, +25 points. voice: 1/2 -> (3 + 0) / (4 + 1) = 0.6, +10 points.
        var seen = Assert.Single(change.Questions);
        Assert.Equal(("seen", 0.5, 0.75), (seen.Key, seen.BaselineRate, seen.NowRate));
        Assert.Equal(25, seen.ChangePoints!.Value, 10);
        var voice = Assert.Single(change.Themes);
        Assert.Equal("voice", voice.Key);
        Assert.Equal(10, voice.ChangePoints!.Value, 10);
    }

    [Fact]
    public void Change_IsNull_WhenEitherRateIsNull()
    {
        var template = Template(Scale("seen"), Scale("plan"));
        var baseline = Aggregation.Run(template, new ReturnsBuilder().EachAnswering("seen", "yes"));
        var now = Aggregation.Run(template, new ReturnsBuilder().EachAnswering("seen", "no").EachAnswering("plan", "yes"));

        var change = AuditAggregator.Compare(baseline, now);

        Assert.Equal(
            [new ChangeFigure("seen", 1.0, 0.0, -100.0), new ChangeFigure("plan", null, 1.0, null)],
            change.Questions);
    }
}
