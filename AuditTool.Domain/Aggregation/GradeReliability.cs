using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

/// <summary>One grade of a graded question: the options with that score (usually one), best first.</summary>
public sealed record GradeCategory(double Score, string Label, IReadOnlyList<string> Values);

/// <summary>An agency's grades against the moderated grades of the same (case, question): <c>Counts[a][m]</c> pairs
/// where the agency gave category a and moderation category m (categories as in <see cref="QuestionReliability.Categories"/>).</summary>
public sealed record ConfusionTable(long AgencyId, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    public int Pairs => Counts.Sum(r => r.Sum());
}

public sealed record AgencyKappa(long AgencyId, ReliabilityFigure Kappa);

/// <summary>
/// The reliability of one graded question (a scale whose options all have scores): Krippendorff's ordinal alpha over
/// the cases with each agency a rater, and quadratic-weighted kappa between the agencies' grades and moderation, for all
/// agencies pooled and for each agency with returns; the confusion table of each agency with at least one pair.
/// </summary>
public sealed record QuestionReliability(
    string QuestionKey,
    string Text,
    IReadOnlyList<GradeCategory> Categories,
    ReliabilityFigure Alpha,
    ReliabilityFigure Kappa,
    IReadOnlyList<AgencyKappa> KappaByAgency,
    IReadOnlyList<ConfusionTable> Confusion);

/// <summary>The names PRODUCT.md gives the measures (the Excel export's "Measure" column).</summary>
public static class ReliabilityMeasures
{
    public const string Alpha = "Krippendorff's alpha (ordinal)";

    public const string Kappa = "Weighted kappa (quadratic) vs moderation";

    /// <summary>The "Agency" of a figure over every agency.</summary>
    public const string AllAgencies = "all";
}

/// <summary>One figure of <see cref="QuestionReliability"/> on a row of its own (export sheet, package, report).</summary>
/// <param name="AgencyId">Null for a figure over every agency.</param>
public sealed record ReliabilityRow(string QuestionKey, string QuestionText, string Measure, long? AgencyId, ReliabilityFigure Figure)
{
    /// <summary>Per question in template order: alpha, kappa for all agencies, then kappa for each agency.</summary>
    public static IReadOnlyList<ReliabilityRow> Of(IEnumerable<QuestionReliability> questions) =>
        questions.SelectMany(q => new[]
            {
                new ReliabilityRow(q.QuestionKey, q.Text, ReliabilityMeasures.Alpha, null, q.Alpha),
                new ReliabilityRow(q.QuestionKey, q.Text, ReliabilityMeasures.Kappa, null, q.Kappa),
            }
            .Concat(q.KappaByAgency.Select(a => new ReliabilityRow(q.QuestionKey, q.Text, ReliabilityMeasures.Kappa, a.AgencyId, a.Kappa))))
        .ToList();
}

/// <summary>A graded question prepared once: each option's category (distinct scores, highest first).</summary>
internal sealed class GradedQuestion
{
    private GradedQuestion(int rule, QuestionRule question)
    {
        Rule = rule;
        Question = question;
        var scores = question.Options.Select(o => o.Score!.Value).Distinct().OrderDescending().ToList();
        CategoryOf = question.Options.Select(o => scores.IndexOf(o.Score!.Value)).ToArray();
        Categories = scores
            .Select(s => question.Options.Where(o => o.Score == s).ToList())
            .Select((options, i) => new GradeCategory(scores[i], string.Join(" / ", options.Select(o => o.Label)), options.Select(o => o.Value).ToList()))
            .ToList();
    }

    public int Rule { get; }

    public QuestionRule Question { get; }

    /// <summary>By option index (in <see cref="QuestionRule.Options"/>): its category.</summary>
    public int[] CategoryOf { get; }

    public IReadOnlyList<GradeCategory> Categories { get; }

    /// <summary>Questions on a scale whose options (but "na") all have scores, in template order.</summary>
    public static GradedQuestion[] For(IReadOnlyList<QuestionRule> rules) =>
        rules.Select((rule, i) => (rule, i))
            .Where(x => x.rule.Question.Type == QuestionType.Scale && x.rule.Options.Count > 0 && x.rule.Options.All(o => o.Score is not null))
            .Select(x => new GradedQuestion(x.i, x.rule))
            .ToArray();
}

/// <summary>A counted grade of an agency paired with the moderated grade of the same (case, question).</summary>
internal readonly record struct GradePair(string CaseRef, long AgencyId, int Agency, int Moderated);

/// <summary>
/// The grades one pass saw, for the reliability figures: per case, per graded question, how many agencies gave each
/// category (the alpha's units, raters needing no names); per graded question, the pairs with moderation.
/// </summary>
internal sealed class GradeTally
{
    private readonly GradedQuestion[] _graded;
    private readonly int[] _slotOfRule;

    public GradeTally(GradedQuestion[] graded, int rules)
    {
        _graded = graded;
        _slotOfRule = Enumerable.Repeat(-1, rules).ToArray();
        for (var s = 0; s < graded.Length; s++)
        {
            _slotOfRule[graded[s].Rule] = s;
        }

        Pairs = graded.Select(_ => new List<GradePair>()).ToArray();
    }

    /// <summary>By case reference: by graded question, the count of each category (null until a grade is seen).</summary>
    public Dictionary<string, int[]?[]> Cases { get; } = new(StringComparer.Ordinal);

    public List<GradePair>[] Pairs { get; }

    /// <summary>The graded slot of a rule, or -1.</summary>
    public int SlotOf(int rule) => _slotOfRule[rule];

    public void Add(string caseRef, long agencyId, int slot, int option, int[]? moderated)
    {
        var question = _graded[slot];
        if (!Cases.TryGetValue(caseRef, out var grades))
        {
            grades = new int[]?[_graded.Length];
            Cases.Add(caseRef, grades);
        }

        var category = question.CategoryOf[option];
        (grades[slot] ??= new int[question.Categories.Count])[category]++;
        if (moderated is [var judged])
        {
            Pairs[slot].Add(new GradePair(caseRef, agencyId, category, question.CategoryOf[judged]));
        }
    }

    public void Add(GradeTally later)
    {
        foreach (var (caseRef, theirs) in later.Cases)
        {
            if (!Cases.TryGetValue(caseRef, out var mine))
            {
                Cases.Add(caseRef, theirs);
                continue;
            }

            for (var s = 0; s < theirs.Length; s++)
            {
                if (theirs[s] is not { } counts)
                {
                    continue;
                }

                var target = mine[s] ??= new int[counts.Length];
                for (var c = 0; c < counts.Length; c++)
                {
                    target[c] += counts[c];
                }
            }
        }

        for (var s = 0; s < Pairs.Length; s++)
        {
            Pairs[s].AddRange(later.Pairs[s]);
        }
    }

    /// <summary>
    /// The figures of every graded question. Units are put in an order that depends on the answers alone (cases by
    /// reference; pairs by case, then grades), so the intervals are the same however the returns were read or numbered:
    /// an audit exported and imported elsewhere gives the same figures.
    /// </summary>
    public IReadOnlyList<QuestionReliability> ToFigures(IReadOnlyList<long> agencyIds, double threshold)
    {
        var cases = Cases.Keys.Order(StringComparer.Ordinal).ToList();
        var figures = new List<QuestionReliability>();
        for (var s = 0; s < _graded.Length; s++)
        {
            var question = _graded[s];
            var k = question.Categories.Count;
            var units = cases.Select(c => Cases[c][s]).OfType<int[]>().ToList();
            var alpha = Reliability.AlphaFigure(units, question.Categories.Select(c => c.Score).ToList(), threshold);
            var pairs = Pairs[s]
                .OrderBy(p => p.CaseRef, StringComparer.Ordinal).ThenBy(p => p.Agency).ThenBy(p => p.Moderated).ThenBy(p => p.AgencyId)
                .ToList();
            var pooled = Reliability.KappaFigure(pairs.Select(p => (p.Agency, p.Moderated)).ToList(), k, threshold);
            var byAgency = agencyIds
                .Select(id => new AgencyKappa(id, Reliability.KappaFigure(
                    pairs.Where(p => p.AgencyId == id).Select(p => (p.Agency, p.Moderated)).ToList(), k, threshold)))
                .ToList();
            var confusion = agencyIds
                .Select(id => pairs.Where(p => p.AgencyId == id).Select(p => (p.Agency, p.Moderated)).ToList() is { Count: > 0 } own
                    ? new ConfusionTable(id, Reliability.Confusion(own, k))
                    : null)
                .OfType<ConfusionTable>()
                .ToList();
            figures.Add(new QuestionReliability(question.Question.Question.Key, question.Question.Question.Text, question.Categories,
                alpha, pooled, byAgency, confusion));
        }

        return figures;
    }
}
