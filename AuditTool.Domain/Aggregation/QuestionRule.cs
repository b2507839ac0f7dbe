using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

internal enum ReadingKind
{
    NotCounted,
    NotApplicable,
    Counted,
}

/// <summary>How one shown, submitted answer reads: for option questions, the indexes (ascending, distinct) of the
/// chosen options in <see cref="QuestionRule.Options"/>.</summary>
internal readonly record struct Reading(ReadingKind Kind, int[] Selected, bool Positive)
{
    public static readonly Reading NotCounted = new(ReadingKind.NotCounted, [], false);
    public static readonly Reading NotApplicable = new(ReadingKind.NotApplicable, [], false);
    public static readonly Reading Answered = new(ReadingKind.Counted, [], false);
}

/// <summary>A question prepared once per aggregation: its options without "na" and whether it carries a rate.</summary>
internal sealed class QuestionRule
{
    private readonly Dictionary<string, int> _indexByValue;

    // One reading per option, made once: a million answers share them instead of allocating one each.
    private readonly Reading[] _single;

    private QuestionRule(QuestionDefinition question, string sectionKey, IReadOnlyList<ScaleOption> offered)
    {
        Question = question;
        SectionKey = sectionKey;
        Options = offered.Where(o => o.Value != BuiltInScales.NotApplicable).ToList();
        _indexByValue = [];
        for (var i = 0; i < Options.Count; i++)
        {
            _indexByValue.TryAdd(Options[i].Value, i);
        }

        _single = Options.Select((o, i) => new Reading(ReadingKind.Counted, [i], o.Polarity == Polarity.Positive)).ToArray();
        Rated = question.Type.HasOptions();
        Descriptive = Rated && !Options.Any(o => o.Polarity is Polarity.Positive or Polarity.Negative);
        Themes = question.Themes.Distinct().ToList();
    }

    public QuestionDefinition Question { get; }

    public string SectionKey { get; }

    public IReadOnlyList<ScaleOption> Options { get; }

    public IReadOnlyList<string> Themes { get; }

    /// <summary>Scale, choice or multichoice: the question has a positive rate.</summary>
    public bool Rated { get; }

    /// <summary>No option (but "na") is positive or negative: the question describes the child, it does not judge practice.</summary>
    public bool Descriptive { get; }

    /// <summary>Counts towards theme, case and overall rates.</summary>
    public bool CarriesRate => Rated && !Descriptive;

    public static IReadOnlyList<QuestionRule> For(TemplateDefinition template) =>
        template.Sections
            .SelectMany(s => s.Questions.Select(q => new QuestionRule(q, s.Key, template.OptionsOf(q))))
            .ToList();

    public Reading Read(object? answer)
    {
        if (!Rated)
        {
            return answer switch
            {
                string s when string.IsNullOrWhiteSpace(s) => Reading.NotCounted,
                BuiltInScales.NotApplicable => Reading.NotApplicable,
                string => Reading.Answered,
                IFormattable => Reading.Answered,
                _ => Reading.NotCounted,
            };
        }

        if (Question.Type == QuestionType.MultiChoice)
        {
            return answer switch
            {
                string one => ReadSelection([one]),
                IEnumerable<string> many => ReadSelection(many),
                _ => Reading.NotCounted,
            };
        }

        return answer switch
        {
            BuiltInScales.NotApplicable => Reading.NotApplicable,
            string value when _indexByValue.TryGetValue(value, out var index) => _single[index],
            _ => Reading.NotCounted,
        };
    }

    /// <summary>The option indexes a moderated value names, or null when it names something the question does not
    /// offer. "na" names no option, so it agrees with no counted answer.</summary>
    public int[]? ReadModerated(string value)
    {
        var values = Question.Type == QuestionType.MultiChoice
            ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [value];
        var selected = new SortedSet<int>();
        foreach (var v in values.Where(v => v != BuiltInScales.NotApplicable))
        {
            if (!_indexByValue.TryGetValue(v, out var index))
            {
                return null;
            }

            selected.Add(index);
        }

        return [.. selected];
    }

    /// <summary>The score of a single-option selection; multichoice and "na" have none.</summary>
    public double? ScoreOf(int[] selected) =>
        Question.Type != QuestionType.MultiChoice && selected.Length == 1 ? Options[selected[0]].Score : null;

    private Reading ReadSelection(IEnumerable<string> values)
    {
        var selected = new SortedSet<int>();
        var sawNotApplicable = false;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value == BuiltInScales.NotApplicable)
            {
                sawNotApplicable = true;
            }
            else if (_indexByValue.TryGetValue(value, out var index))
            {
                selected.Add(index);
            }
            else
            {
                // A value the question does not offer spoils the whole answer (imports validate this elsewhere).
                return Reading.NotCounted;
            }
        }

        if (selected.Count == 0)
        {
            return sawNotApplicable ? Reading.NotApplicable : Reading.NotCounted;
        }

        var positive = selected.Any(i => Options[i].Polarity == Polarity.Positive)
            && !selected.Any(i => Options[i].Polarity == Polarity.Negative);
        return new Reading(ReadingKind.Counted, [.. selected], positive);
    }
}
