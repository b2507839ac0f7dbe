using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class ThemeFiguresTests
{
    [Fact]
    public void ThemeRate_WeighsEachQuestionsAnswers()
    {
        var template = Template(
            Scale("seen-alone", weight: 2, themes: ["voice"]),
            Scale("views-recorded", weight: 1, themes: ["voice"]));
        var returns = new ReturnsBuilder()
            .EachAnswering("seen-alone", "yes", "yes", "yes", "no")       // 3 of 4 positive
            .EachAnswering("views-recorded", "yes", "no", "no", "partly"); // 1 of 4 positive

        var voice = Aggregation.Run(template, returns).Theme("voice");

        // (2 x 3 + 1 x 1) / (2 x 4 + 1 x 4) = 7 / 12 = 0.58333; unweighted it would be 4 / 8 = 0.5.
        Assert.Equal(["seen-alone", "views-recorded"], voice.QuestionKeys);
        Assert.Equal(12, voice.WeightedCounted, 10);
        Assert.Equal(7, voice.WeightedPositive, 10);
        Assert.Equal(7.0 / 12, voice.Rate!.Value, 10);
    }

    [Fact]
    public void ThemeRate_LeavesOutQuestionsWithoutARate()
    {
        var send = Choice("send", Option("none", Polarity.Neutral), Option("ehcp", Polarity.Neutral)).WithThemes("voice");
        var template = Template(
            Scale("seen-alone", themes: ["voice"]),
            send,
            Open("last-seen", QuestionType.Date, "voice"));
        var returns = new ReturnsBuilder()
            .Submitted("C-1", 1, "police", ("seen-alone", "yes"), ("send", "none"), ("last-seen", "2024-03-01"))
            .Submitted("C-2", 1, "police", ("seen-alone", "no"), ("send", "ehcp"), ("last-seen", "2024-04-01"));

        var voice = Aggregation.Run(template, returns).Theme("voice");

        // Only "seen-alone" carries the rate: 1 / 2, not 1 / 4 with the descriptive answers.
        Assert.Equal(["seen-alone"], voice.QuestionKeys);
        Assert.Equal(0.5, voice.Rate!.Value, 10);
    }

    [Fact]
    public void Themes_AreInOrderOfFirstAppearance_AndNullWithoutAnswers()
    {
        var template = Template(
            Scale("a", themes: ["risk"]),
            Scale("b", themes: ["voice", "risk"]),
            Scale("c", themes: ["fathers"]));
        var returns = new ReturnsBuilder().EachAnswering("a", "yes").EachAnswering("b", "no");

        var themes = Aggregation.Run(template, returns).Themes;

        Assert.Equal(["risk", "voice", "fathers"], themes.Select(t => t.Theme));
        Assert.Equal(0.5, themes[0].Rate!.Value, 10);
        Assert.Equal(0.0, themes[1].Rate!.Value, 10);
        Assert.Null(themes[2].Rate);
    }
}
