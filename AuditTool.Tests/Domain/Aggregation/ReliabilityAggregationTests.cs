using System.Text.Json;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

/// <summary>The reliability figures as the aggregation feeds them: which answers count, units, pairs, determinism.</summary>
public class ReliabilityAggregationTests
{
    private static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("all", null,
            Scale("seen"),
            Scale("voice", showIf: new ShowIf("seen", ["yes", "partly"])),
            Scale("overall", "ofsted4"),
            Choice("lead", Option("police", Polarity.Positive, 1), Option("school", Polarity.Positive, 2)),
            MultiChoice("partners", Option("police", Polarity.Positive, 1), Option("none", Polarity.Negative, 0)))
        .Build();

    private static AuditFigures Run(IReadOnlyList<ReturnData> returns, IReadOnlyList<ModerationData>? moderation = null,
        AuditThresholds? thresholds = null) =>
        AuditAggregator.Aggregate(Template, returns, moderation ?? [], thresholds ?? Aggregation.Defaults, reliability: true);

    private static ReturnData Return(long id, string caseRef, long agency, bool submitted, params (string, object?)[] answers) =>
        new(id, caseRef, agency, "police", submitted, answers.ToDictionary(a => a.Item1, a => a.Item2));

    [Fact]
    public void Reliability_IsComputedOnlyWhenAskedFor_AndOnlyForScalesWithScores()
    {
        var returns = new[] { Return(1, "C-1", 1, true, ("seen", "yes"), ("lead", "police")) };

        var without = AuditAggregator.Aggregate(Template, returns, [], Aggregation.Defaults);
        var with = Run(returns);

        Assert.Null(without.Reliability);
        Assert.Equal(["seen", "voice", "overall"], with.Reliability!.Select(q => q.QuestionKey));
    }

    [Fact]
    public void Alpha_CountsOnlySubmittedShownAnsweredGradesThatAreNotNa()
    {
        // Per case, agencies 1 to 4. Agency 3's returns are drafts, agency 4 answers "na" or leaves "seen" blank, and
        // "voice" is stored by agencies 1 and 2 everywhere but shown only where their own "seen" is yes or partly.
        var returns = new List<ReturnData>();
        string[] one = ["yes", "yes", "no", "partly", "yes", "no"];
        string[] two = ["yes", "partly", "no", "no", "yes", "yes"];
        for (var c = 0; c < 6; c++)
        {
            returns.Add(Return(returns.Count + 1, $"C-{c}", 1, true, ("seen", one[c]), ("voice", "yes")));
            returns.Add(Return(returns.Count + 1, $"C-{c}", 2, true, ("seen", two[c]), ("voice", "no")));
            returns.Add(Return(returns.Count + 1, $"C-{c}", 3, false, ("seen", "no"), ("voice", "no")));
            returns.Add(Return(returns.Count + 1, $"C-{c}", 4, true, ("seen", c % 2 == 0 ? "na" : null)));
        }

        var seen = Run(returns).Reliability!.Single(q => q.QuestionKey == "seen");
        var voice = Run(returns).Reliability!.Single(q => q.QuestionKey == "voice");

        // yes-partly-no scores: yes 2, partly 1, no 0.
        static double Score(string v) => v switch { "yes" => 2, "partly" => 1, _ => 0 };
        var expected = Reliability.Alpha(one.Zip(two, (a, b) => (IReadOnlyList<double?>)[Score(a), Score(b)]).ToList(), AlphaMetric.Ordinal);
        Assert.Equal(6, seen.Alpha.Units);
        Assert.Equal(expected!.Value, seen.Alpha.Value!.Value, 12);
        // Both agencies show "voice" on C-0, C-1 and C-4 only (C-3 and C-5 have one grade each, C-2 none): three units.
        Assert.Equal(3, voice.Alpha.Units);
        Assert.Equal(ReliabilityState.TooFew, voice.Alpha.State);
    }

    [Fact]
    public void Kappa_PairsEachCountedGradeWithTheModeratedGradeOfItsCase_PooledAndPerAgency()
    {
        string[] police = ["good", "good", "outstanding", "requires-improvement", "inadequate", "good"];
        string[] health = ["good", "inadequate", "good", "requires-improvement", "requires-improvement", "outstanding"];
        string[] moderated = ["good", "requires-improvement", "good", "requires-improvement", "inadequate", "na"];
        var returns = new List<ReturnData>();
        for (var c = 0; c < 6; c++)
        {
            returns.Add(Return(returns.Count + 1, $"C-{c}", 1, true, ("overall", police[c])));
            returns.Add(Return(returns.Count + 1, $"C-{c}", 2, true, ("overall", health[c])));
        }

        returns.Add(Return(99, "C-9", 3, true, ("overall", "good"))); // no moderated judgement for C-9
        var moderation = moderated.Select((m, c) => new ModerationData($"C-{c}", "overall", m)).ToList();

        var overall = Run(returns, moderation).Reliability!.Single(q => q.QuestionKey == "overall");

        // Categories highest score first: outstanding 0, good 1, requires-improvement 2, inadequate 3; "na" pairs nothing.
        static int C(string v) => Array.IndexOf(["outstanding", "good", "requires-improvement", "inadequate"], v);
        var policePairs = Enumerable.Range(0, 5).Select(c => (C(police[c]), C(moderated[c]))).ToList();
        var healthPairs = Enumerable.Range(0, 5).Select(c => (C(health[c]), C(moderated[c]))).ToList();
        Assert.Equal(10, overall.Kappa.Units);
        Assert.Equal(Reliability.QuadraticKappa([.. policePairs, .. healthPairs], 4)!.Value, overall.Kappa.Value!.Value, 12);
        Assert.Equal([1L, 2L, 3L], overall.KappaByAgency.Select(k => k.AgencyId));
        Assert.Equal(Reliability.QuadraticKappa(policePairs, 4)!.Value, overall.KappaByAgency[0].Kappa.Value!.Value, 12);
        Assert.Equal(Reliability.QuadraticKappa(healthPairs, 4)!.Value, overall.KappaByAgency[1].Kappa.Value!.Value, 12);
        Assert.Equal(new ReliabilityFigure(0, ReliabilityState.TooFew, null, null, null, false), overall.KappaByAgency[2].Kappa);
        Assert.Equal([1L, 2L], overall.Confusion.Select(t => t.AgencyId));
        Assert.Equal(Reliability.Confusion(healthPairs, 4), overall.Confusion[1].Counts);
    }

    [Fact]
    public void Figures_DependOnTheAnswersAlone_NotOnReturnOrderIdsOrParts()
    {
        var random = new Random(20261205);
        string[] grades = ["outstanding", "good", "requires-improvement", "inadequate"];
        var returns = new List<ReturnData>();
        for (var c = 0; c < 40; c++)
        {
            var truth = random.Next(4);
            for (var agency = 1; agency <= 3; agency++)
            {
                var grade = Math.Clamp(truth + random.Next(-1, 2), 0, 3);
                returns.Add(Return(returns.Count + 1, $"C-{c:000}", agency, random.Next(6) > 0, ("overall", grades[grade]), ("seen", random.Next(2) == 0 ? "yes" : "no")));
            }
        }

        var moderation = Enumerable.Range(0, 40).Where(c => c % 2 == 0).Select(c => new ModerationData($"C-{c:000}", "overall", grades[c % 4])).ToList();
        var shuffled = returns.OrderBy(_ => random.Next()).Select((r, i) => r with { ReturnId = 1000 - i }).ToList();
        IReadOnlyList<IEnumerable<ReturnData>> parts = returns.Chunk(37).Select(p => (IEnumerable<ReturnData>)p).ToList();

        var expected = JsonSerializer.Serialize(Run(returns, moderation).Reliability);

        Assert.Equal(expected, JsonSerializer.Serialize(Run(shuffled, moderation).Reliability));
        Assert.Equal(expected, JsonSerializer.Serialize(
            AuditAggregator.Aggregate(Template, parts, moderation, Aggregation.Defaults, reliability: true).Reliability));
        Assert.Contains("\"State\":0", expected); // some figures are defined, with intervals
    }

    [Fact]
    public void Figures_AreFlaggedBelowTheAuditsReliabilityThreshold()
    {
        var returns = new List<ReturnData>();
        string[] one = ["yes", "yes", "no", "partly", "yes", "no"];
        string[] two = ["yes", "partly", "no", "no", "yes", "yes"];
        for (var c = 0; c < 6; c++)
        {
            returns.Add(Return(returns.Count + 1, $"C-{c}", 1, true, ("seen", one[c])));
            returns.Add(Return(returns.Count + 1, $"C-{c}", 2, true, ("seen", two[c])));
        }

        var value = Run(returns).Reliability!.Single(q => q.QuestionKey == "seen").Alpha.Value!.Value;
        var below = Run(returns, thresholds: new AuditThresholds(Reliability: value + 0.01)).Reliability!.Single(q => q.QuestionKey == "seen").Alpha;
        var at = Run(returns, thresholds: new AuditThresholds(Reliability: value)).Reliability!.Single(q => q.QuestionKey == "seen").Alpha;

        Assert.True(below.Flagged);
        Assert.False(at.Flagged);
    }
}
