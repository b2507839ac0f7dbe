using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Templates;

namespace AuditTool.Tests.Domain.Aggregation;

/// <summary>Questions for aggregation fixtures, on top of <see cref="TemplateBuilder.Q"/>.</summary>
internal static class Questions
{
    public static QuestionDefinition Scale(string key, string scale = "yes-partly-no", double weight = 1,
        ShowIf? showIf = null, params string[] themes) =>
        TemplateBuilder.Q(key, scale, showIf, weight) with { Themes = themes };

    public static QuestionDefinition Choice(string key, params ScaleOption[] options) =>
        TemplateBuilder.Q(key, type: QuestionType.Choice, options: options) with { Themes = [] };

    public static QuestionDefinition MultiChoice(string key, params ScaleOption[] options) =>
        TemplateBuilder.Q(key, type: QuestionType.MultiChoice, options: options) with { Themes = [] };

    public static QuestionDefinition Open(string key, QuestionType type, params string[] themes) =>
        TemplateBuilder.Q(key, type: type) with { Themes = themes };

    public static QuestionDefinition WithThemes(this QuestionDefinition question, params string[] themes) =>
        question with { Themes = themes };

    public static ScaleOption Option(string value, Polarity polarity, double? score = null) =>
        new(value, value.ToUpperInvariant(), score, polarity);

    public static TemplateDefinition Template(params QuestionDefinition[] questions) =>
        new TemplateBuilder().Section("main", null, questions).Build();
}

/// <summary>Returns for aggregation fixtures. Unless told otherwise: agency 1, kind police, one case per return.</summary>
internal sealed class ReturnsBuilder
{
    private readonly List<ReturnData> _returns = [];

    public ReturnsBuilder Submitted(string caseRef, long agencyId, string kind, params (string Key, object? Value)[] answers) =>
        Add(caseRef, agencyId, kind, true, answers);

    public ReturnsBuilder Draft(string caseRef, long agencyId, string kind, params (string Key, object? Value)[] answers) =>
        Add(caseRef, agencyId, kind, false, answers);

    /// <summary>One submitted return per value, each answering only <paramref name="key"/>.</summary>
    public ReturnsBuilder EachAnswering(string key, params object?[] values)
    {
        foreach (var value in values)
        {
            Submitted($"C-{_returns.Count + 1}", 1, "police", (key, value));
        }

        return this;
    }

    /// <summary>One submitted return per multichoice selection (a string[] passed to <see cref="EachAnswering"/>
    /// alone would become its params array).</summary>
    public ReturnsBuilder EachSelecting(string key, params string[][] selections) =>
        EachAnswering(key, selections.Cast<object?>().ToArray());

    public IReadOnlyList<ReturnData> Build() => _returns.ToList();

    private ReturnsBuilder Add(string caseRef, long agencyId, string kind, bool submitted, (string Key, object? Value)[] answers)
    {
        _returns.Add(new ReturnData(_returns.Count + 1, caseRef, agencyId, kind, submitted,
            answers.ToDictionary(a => a.Key, a => a.Value)));
        return this;
    }
}

internal static class Aggregation
{
    public static readonly AuditThresholds Defaults = new();

    public static AuditFigures Run(TemplateDefinition template, ReturnsBuilder returns,
        IReadOnlyList<ModerationData>? moderation = null, AuditThresholds? thresholds = null) =>
        AuditAggregator.Aggregate(template, returns.Build(), moderation ?? [], thresholds ?? Defaults);

    public static QuestionFigures Question(this AuditFigures figures, string key) =>
        figures.Questions.Single(q => q.Key == key);

    public static QuestionFigures Question(this AgencyFigures figures, string key) =>
        figures.Questions.Single(q => q.Key == key);

    public static ThemeFigures Theme(this AuditFigures figures, string theme) =>
        figures.Themes.Single(t => t.Theme == theme);
}
