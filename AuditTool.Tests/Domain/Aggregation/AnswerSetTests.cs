using System.Text.Json;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class AnswerSetTests
{
    private static readonly TemplateDefinition Template = Questions.Template(
        Scale("seen", themes: "voice-of-child"),
        Scale("voice", showIf: new ShowIf("seen", ["yes"]), themes: "voice-of-child"),
        MultiChoice("partners", Option("police", Polarity.Positive), Option("none", Polarity.Negative)),
        Open("days", QuestionType.Number),
        Scale("overall", "ofsted4", weight: 2, themes: "lived-experience"));

    private static AnswerSet Set(params (string Key, object? Value)[] answers)
    {
        var layout = AnswerSet.LayoutOf(Template);
        var set = new AnswerSet(layout);
        foreach (var (key, value) in answers)
        {
            set.Set(layout.Index[key], value);
        }

        return set;
    }

    [Fact]
    public void AnswerSet_IsADictionaryByKey_OfWhatWasSet()
    {
        var set = Set(("voice", "no"), ("seen", "yes"));

        Assert.Equal(2, set.Count);
        Assert.True(set.TryGetValue("seen", out var seen));
        Assert.Equal("yes", seen);
        Assert.False(set.ContainsKey("overall"));
        Assert.False(set.TryGetValue("no-such-key", out _));
        Assert.Equal(["seen", "voice"], set.Keys); // template order
        Assert.Throws<KeyNotFoundException>(() => set["overall"]);
    }

    [Fact]
    public void Aggregation_OfAnswerSets_EqualsAggregationOfPlainDictionaries()
    {
        (string, object?)[][] answers =
        [
            [("seen", "yes"), ("voice", "yes"), ("partners", new List<string> { "police" }), ("days", "3"), ("overall", "good")],
            [("seen", "no"), ("voice", "yes"), ("overall", "inadequate")],
            [("seen", "partly"), ("partners", new List<string> { "police", "none" }), ("overall", "outstanding")],
            [("seen", "na"), ("overall", "requires-improvement")],
            [("seen", "yes"), ("voice", "no"), ("overall", "good")],
            [("seen", "yes"), ("voice", "yes"), ("overall", "good")],
        ];
        var plain = answers.Select((a, i) => new ReturnData(i, $"C-{i % 3}", 1 + i % 2, "police", true, a.ToDictionary(x => x.Item1, x => x.Item2)));
        var slotted = answers.Select((a, i) => new ReturnData(i, $"C-{i % 3}", 1 + i % 2, "police", true, Set(a)));
        ModerationData[] moderation = [new("C-0", "overall", "good"), new("C-1", "overall", "inadequate")];

        var expected = AuditAggregator.Aggregate(Template, plain, moderation, Aggregation.Defaults);
        var actual = AuditAggregator.Aggregate(Template, slotted, moderation, Aggregation.Defaults);

        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        Assert.Equal(3, actual.Question("voice").Counted); // shown only where "seen" is yes: returns 0, 4 and 5
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Aggregation_InParts_EqualsOnePassOverAllTheReturns(int partCount)
    {
        // Returns in id order, a case's agencies next to each other: some cases straddle a part boundary, agencies and
        // moderated cases appear in several parts, some returns are not submitted.
        var random = new Random(20261129);
        string[] scale = ["yes", "partly", "no", "na"];
        string[] ofsted = ["outstanding", "good", "requires-improvement", "inadequate"];
        var returns = new List<ReturnData>();
        for (var i = 0; i < 200; i++)
        {
            var answers = new List<(string, object?)> { ("seen", scale[random.Next(4)]), ("overall", ofsted[random.Next(4)]) };
            if (random.Next(3) > 0)
            {
                answers.Add(("voice", scale[random.Next(4)]));
            }

            if (random.Next(2) == 0)
            {
                answers.Add(("partners", random.Next(3) switch { 0 => new List<string> { "police" }, 1 => ["none"], _ => ["police", "none"] }));
            }

            answers.Add(("days", random.Next(30).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            returns.Add(new ReturnData(i + 1, $"C-{i / 3:000}", 1 + i % 3, i % 3 == 2 ? "education" : "police", random.Next(5) > 0, Set([.. answers])));
        }

        ModerationData[] moderation = [.. Enumerable.Range(0, 67).Where(c => c % 4 == 0).Select(c => new ModerationData($"C-{c:000}", "overall", ofsted[c % 4 == 0 ? 1 : 3]))];
        var size = (returns.Count + partCount - 1) / partCount;
        IReadOnlyList<IEnumerable<ReturnData>> parts = returns.Chunk(size).Select(p => (IEnumerable<ReturnData>)p).ToList();

        var expected = AuditAggregator.Aggregate(Template, returns, moderation, Aggregation.Defaults);
        var actual = AuditAggregator.Aggregate(Template, parts, moderation, Aggregation.Defaults);

        Assert.Equal(partCount, parts.Count);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        Assert.Equal(67, actual.Cases.Count);
        Assert.Equal(returns.Select(r => r.CaseRef).Distinct(), actual.Cases.Select(c => c.CaseRef)); // first-seen order
        Assert.True(actual.Agreement.Overall.Pairs > 0);
    }

    [Fact]
    public void Aggregation_InParts_ThrowsTheReadingsOwnException()
    {
        static IEnumerable<ReturnData> Failing()
        {
            yield return new ReturnData(1, "C-001", 1, "police", true, Set(("seen", "yes")));
            throw new InvalidOperationException("The database went away.");
        }

        IReadOnlyList<IEnumerable<ReturnData>> parts = [[new ReturnData(2, "C-002", 1, "police", true, Set(("seen", "no")))], Failing()];

        var ex = Assert.Throws<InvalidOperationException>(() => AuditAggregator.Aggregate(Template, parts, [], Aggregation.Defaults));
        Assert.Equal("The database went away.", ex.Message);
    }
}
