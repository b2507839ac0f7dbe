using AuditTool.Web.Components.Pages.Returns;
using AuditTool.Web.Hosting;

namespace AuditTool.Tests.Web;

/// <summary>What an open return page reads when it hears of a change to its return (issue 21: the saving page applies
/// its own change without reading anything; other pages read only the answer that changed).</summary>
public class HeardChangesTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Controlling = ["seen-alone"];

    private static HeardChanges Of(IReadOnlyList<ReturnChange> heard, Dictionary<string, DateTimeOffset>? answers = null,
        Dictionary<string, DateTimeOffset>? evidence = null, bool editable = true) =>
        HeardChanges.Of(heard, answers ?? [], evidence ?? [], Controlling, editable);

    [Fact]
    public void ThePagesOwnSaves_ReadNothing()
    {
        var plan = Of([new(7, "days", Ten), new(7, "notes", Ten.AddSeconds(1))],
            answers: new() { ["days"] = Ten }, evidence: new() { ["notes"] = Ten.AddSeconds(1) });

        Assert.False(plan.Whole);
        Assert.Empty(plan.Answers);
    }

    [Fact]
    public void AnotherPagesSave_ReadsThatAnswerAlone_OnceHoweverOftenItWasHeard()
    {
        var plan = Of([new(7, "days", Ten.AddSeconds(5)), new(7, "days", Ten.AddSeconds(6)), new(7, "notes", Ten)],
            answers: new() { ["days"] = Ten, ["notes"] = Ten });

        Assert.False(plan.Whole);
        Assert.Equal(["days"], plan.Answers);
    }

    [Fact]
    public void NewsFromAnotherServerOrAWorkbook_WithoutItsSaveTime_IsNeverTakenForThePagesOwn()
    {
        var plan = Of([new(7, "days", null)], answers: new() { ["days"] = Ten });

        Assert.Equal(["days"], plan.Answers);
    }

    [Theory]
    [InlineData("seen-alone", true)]
    [InlineData("", true)]
    [InlineData("days", false)]
    public void AnAnswerThatDecidesWhatIsShown_OrTheReturnItself_ReadsTheReturnWhole(string key, bool whole)
    {
        Assert.Equal(whole, Of([new(7, key, Ten)]).Whole);
    }

    [Fact]
    public void AReadOnlyPage_ReadsTheReturnWhole_ItShowsTheCasesOtherReturnsBesideIt()
    {
        Assert.True(Of([new(7, "days", Ten)], editable: false).Whole);
    }
}
