using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

/// <summary>The figures of PRODUCT.md ("Figures") as pure functions over plain data.</summary>
public static class AuditAggregator
{
    /// <summary>Question, theme, agency, case and moderation figures of one audit, in one pass over its returns: the
    /// returns may be streamed, one at a time, so memory does not grow with the number of answers.</summary>
    public static AuditFigures Aggregate(TemplateDefinition template, IEnumerable<ReturnData> returns,
        IReadOnlyList<ModerationData> moderation, AuditThresholds thresholds, bool reliability = false)
    {
        ArgumentNullException.ThrowIfNull(returns);
        return Aggregate(template, [returns], moderation, thresholds, reliability);
    }

    /// <summary>
    /// The same figures from the returns in consecutive parts (part 1 then part 2 ... is every return in order): each
    /// part is one pass on a thread of its own, and the passes are added up in part order, so the figures are those of
    /// one pass over all the returns. A source reading a million answers splits them to use every core.
    /// With <paramref name="reliability"/> the figures also hold <see cref="AuditFigures.Reliability"/>: its bootstrap
    /// intervals cost about a second on the largest audits, so only the pages and files that show them ask for them.
    /// </summary>
    public static AuditFigures Aggregate(TemplateDefinition template, IReadOnlyList<IEnumerable<ReturnData>> parts,
        IReadOnlyList<ModerationData> moderation, AuditThresholds thresholds, bool reliability = false)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(moderation);
        ArgumentNullException.ThrowIfNull(thresholds);

        var rules = QuestionRule.For(template);
        var layout = AnswerSet.LayoutOf(template);
        var moderated = ModeratedJudgements(rules, moderation);
        var graded = reliability ? GradedQuestion.For(rules) : null;
        var passes = new Pass[parts.Count];
        if (parts.Count == 1)
        {
            passes[0] = new Pass(template, rules, layout, moderated, graded).Over(parts[0]);
        }
        else
        {
            try
            {
                Parallel.For(0, parts.Count, new ParallelOptions { MaxDegreeOfParallelism = parts.Count },
                    i => passes[i] = new Pass(template, rules, layout, moderated, graded).Over(parts[i]));
            }
            catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
            {
                // As one pass would: the reading's own exception (the first), not a wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            }
        }

        var all = passes.Length == 0 ? new Pass(template, rules, layout, moderated, graded) : passes[0];
        foreach (var pass in passes.Skip(1))
        {
            all.Add(pass);
        }

        var questions = QuestionFiguresOf(rules, all.Overall, thresholds);
        return new AuditFigures(
            questions,
            ThemeFiguresOf(rules, questions),
            all.Agencies.Select(a => AgencyFiguresOf(a.Key, rules, a.Value, thresholds)).ToList(),
            all.CaseOrder.Select(c => c.ToFigures()).ToList(),
            new ModerationAgreement(
                all.Agreement.ToFigures(),
                all.AgreementByAgency.ToDictionary(a => a.Key, a => a.Value.ToFigures())),
            all.Overall.Returns,
            all.Overall.Submitted,
            OverallRate(rules, questions))
        {
            Reliability = all.Grades?.ToFigures(all.Agencies.Keys.ToList(), thresholds.Reliability),
        };
    }

    /// <summary>The running counts of one pass over some of an audit's returns.</summary>
    private sealed class Pass(TemplateDefinition template, IReadOnlyList<QuestionRule> rules, AnswerLayout layout,
        Dictionary<(string CaseRef, int Question), int[]> moderated, GradedQuestion[]? graded)
    {
        /// <summary>The grades for the reliability figures, when asked for.</summary>
        public GradeTally? Grades { get; } = graded is null ? null : new GradeTally(graded, rules.Count);

        public QuestionTally Overall { get; } = new(rules);

        public SortedDictionary<long, QuestionTally> Agencies { get; } = [];

        public Dictionary<string, CaseTally> Cases { get; } = [];

        public List<CaseTally> CaseOrder { get; } = [];

        public AgreementTally Agreement { get; } = new();

        public SortedDictionary<long, AgreementTally> AgreementByAgency { get; } = [];

        public Pass Over(IEnumerable<ReturnData> returns)
        {
            foreach (var ret in returns)
            {
                Add(ret);
            }

            return this;
        }

        private void Add(ReturnData ret)
        {
            var agency = GetOrAdd(Agencies, ret.AgencyId, () => new QuestionTally(rules));
            var @case = CaseOf(ret.CaseRef);
            Overall.Returns++;
            agency.Returns++;
            @case.Returns++;
            if (!ret.Submitted)
            {
                return;
            }

            Overall.Submitted++;
            agency.Submitted++;
            @case.Submitted++;

            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (!Visibility.IsShown(template, rule.Question, ret.AgencyKind, ret.Answers))
                {
                    continue;
                }

                // A source that fills answers by the template's slots is read by slot (rule i is question i); any other by key.
                var reading = rule.Read(ret.Answers is AnswerSet set && set.Layout == layout
                    ? set[i]
                    : ret.Answers.GetValueOrDefault(rule.Question.Key));
                Overall.Add(i, reading);
                agency.Add(i, reading);
                if (reading.Kind != ReadingKind.Counted)
                {
                    continue;
                }

                if (rule.CarriesRate)
                {
                    @case.Counted++;
                    if (reading.Positive)
                    {
                        @case.Positive++;
                    }
                }

                moderated.TryGetValue((ret.CaseRef, i), out var judgement);
                if (Grades is not null && Grades.SlotOf(i) is >= 0 and var slot)
                {
                    Grades.Add(ret.CaseRef, ret.AgencyId, slot, reading.Selected[0], judgement);
                }

                if (judgement is not null)
                {
                    var agrees = reading.Selected.AsSpan().SequenceEqual(judgement);
                    var agencyScore = rule.ScoreOf(reading.Selected);
                    var moderatedScore = rule.ScoreOf(judgement);
                    Agreement.Add(agrees, agencyScore, moderatedScore);
                    GetOrAdd(AgreementByAgency, ret.AgencyId, () => new AgreementTally())
                        .Add(agrees, agencyScore, moderatedScore);
                }
            }
        }

        /// <summary>Adds a later pass: its counts to these, its new cases after these (the order of first appearance).</summary>
        public void Add(Pass later)
        {
            Overall.Add(later.Overall);
            foreach (var (id, tally) in later.Agencies)
            {
                GetOrAdd(Agencies, id, () => new QuestionTally(rules)).Add(tally);
            }

            foreach (var tally in later.CaseOrder)
            {
                CaseOf(tally.CaseRef).Add(tally);
            }

            Agreement.Add(later.Agreement);
            if (later.Grades is not null)
            {
                Grades!.Add(later.Grades);
            }

            foreach (var (id, tally) in later.AgreementByAgency)
            {
                GetOrAdd(AgreementByAgency, id, () => new AgreementTally()).Add(tally);
            }
        }

        private CaseTally CaseOf(string caseRef)
        {
            if (!Cases.TryGetValue(caseRef, out var tally))
            {
                tally = new CaseTally(caseRef);
                Cases.Add(caseRef, tally);
                CaseOrder.Add(tally);
            }

            return tally;
        }
    }

    /// <summary>
    /// Not rated (number, date, text): <see cref="Classification.NoRate"/>; descriptive:
    /// <see cref="Classification.Descriptive"/>; fewer than the minimum count (or no rate):
    /// <see cref="Classification.TooFewAnswers"/>; rate >= strength threshold: <see cref="Classification.Strength"/>;
    /// rate &lt;= development threshold: <see cref="Classification.DevelopmentArea"/>; otherwise <see cref="Classification.Mixed"/>.
    /// </summary>
    public static Classification Classify(double? positiveRate, int counted, bool rated, bool descriptive,
        AuditThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (!rated)
        {
            return Classification.NoRate;
        }

        if (descriptive)
        {
            return Classification.Descriptive;
        }

        if (counted < thresholds.MinimumCount || positiveRate is not { } rate)
        {
            return Classification.TooFewAnswers;
        }

        if (rate >= thresholds.Strength)
        {
            return Classification.Strength;
        }

        return rate <= thresholds.Development ? Classification.DevelopmentArea : Classification.Mixed;
    }

    /// <summary>Change from a baseline audit, for every question key and theme present in both, in the order of
    /// <paramref name="now"/>. Template versions may add or drop questions: only common keys are compared.</summary>
    public static BaselineComparison Compare(AuditFigures baseline, AuditFigures now)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(now);

        return new BaselineComparison(
            Changes(baseline.Questions, now.Questions, q => q.Key, q => q.PositiveRate),
            Changes(baseline.Themes, now.Themes, t => t.Theme, t => t.Rate));
    }

    internal static double? Rate(double positive, double counted) => counted == 0 ? null : positive / counted;

    private static IReadOnlyList<ChangeFigure> Changes<T>(IReadOnlyList<T> baseline, IReadOnlyList<T> now,
        Func<T, string> key, Func<T, double?> rate)
    {
        var before = new Dictionary<string, double?>();
        foreach (var item in baseline)
        {
            before.TryAdd(key(item), rate(item));
        }

        return now
            .Where(item => before.ContainsKey(key(item)))
            .Select(item =>
            {
                var was = before[key(item)];
                var @is = rate(item);
                return new ChangeFigure(key(item), was, @is, was is { } b && @is is { } n ? (n - b) * 100 : null);
            })
            .ToList();
    }

    /// <summary>The moderated option indexes by (case, question index). A later judgement of the same case and
    /// question replaces an earlier one; unknown questions, questions without options and values the question does
    /// not offer are ignored.</summary>
    private static Dictionary<(string CaseRef, int Question), int[]> ModeratedJudgements(
        IReadOnlyList<QuestionRule> rules, IReadOnlyList<ModerationData> moderation)
    {
        var indexByKey = new Dictionary<string, int>();
        for (var i = 0; i < rules.Count; i++)
        {
            indexByKey.TryAdd(rules[i].Question.Key, i);
        }

        var judgements = new Dictionary<(string, int), int[]>();
        foreach (var m in moderation)
        {
            if (indexByKey.TryGetValue(m.QuestionKey, out var index)
                && rules[index].Rated
                && rules[index].ReadModerated(m.Value) is { } selected)
            {
                judgements[(m.CaseRef, index)] = selected;
            }
        }

        return judgements;
    }

    private static IReadOnlyList<QuestionFigures> QuestionFiguresOf(IReadOnlyList<QuestionRule> rules,
        QuestionTally tally, AuditThresholds thresholds) =>
        rules.Select((rule, i) =>
        {
            var counted = tally.Counted[i];
            var rate = rule.Rated ? Rate(tally.Positive[i], counted) : null;
            var options = rule.Options
                .Select((o, j) => new OptionFigure(o.Value, o.Label, tally.OptionCounts[i][j],
                    counted == 0 ? 0 : (double)tally.OptionCounts[i][j] / counted))
                .ToList();
            var q = rule.Question;
            return new QuestionFigures(q.Key, rule.SectionKey, q.Text, rule.Themes, q.Weight, q.Type, counted,
                tally.Positive[i], tally.NotApplicable[i], rate, options,
                Classify(rate, counted, rule.Rated, rule.Descriptive, thresholds));
        }).ToList();

    /// <summary>Themes in order of first appearance in the template; a theme only on questions without a rate
    /// (number, date, text, descriptive) has no figures and is left out.</summary>
    private static IReadOnlyList<ThemeFigures> ThemeFiguresOf(IReadOnlyList<QuestionRule> rules,
        IReadOnlyList<QuestionFigures> questions)
    {
        var themes = rules.SelectMany(r => r.Themes).Distinct();
        var figures = new List<ThemeFigures>();
        foreach (var theme in themes)
        {
            var members = Enumerable.Range(0, rules.Count)
                .Where(i => rules[i].CarriesRate && rules[i].Themes.Contains(theme))
                .ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var weightedCounted = members.Sum(i => questions[i].Weight * questions[i].Counted);
            var weightedPositive = members.Sum(i => questions[i].Weight * questions[i].Positive);
            figures.Add(new ThemeFigures(theme, members.Select(i => questions[i].Key).ToList(), weightedCounted,
                weightedPositive, Rate(weightedPositive, weightedCounted)));
        }

        return figures;
    }

    private static AgencyFigures AgencyFiguresOf(long agencyId, IReadOnlyList<QuestionRule> rules,
        QuestionTally tally, AuditThresholds thresholds)
    {
        var questions = QuestionFiguresOf(rules, tally, thresholds);
        return new AgencyFigures(agencyId, tally.Returns, tally.Submitted, questions, ThemeFiguresOf(rules, questions),
            OverallRate(rules, questions));
    }

    private static double? OverallRate(IReadOnlyList<QuestionRule> rules, IReadOnlyList<QuestionFigures> questions)
    {
        var carrying = Enumerable.Range(0, rules.Count).Where(i => rules[i].CarriesRate).ToList();
        return Rate(carrying.Sum(i => questions[i].Positive), carrying.Sum(i => questions[i].Counted));
    }

    private static TValue GetOrAdd<TKey, TValue>(IDictionary<TKey, TValue> map, TKey key, Func<TValue> create)
    {
        if (!map.TryGetValue(key, out var value))
        {
            value = create();
            map.Add(key, value);
        }

        return value;
    }
}
