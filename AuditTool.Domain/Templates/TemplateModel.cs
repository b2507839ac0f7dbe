namespace AuditTool.Domain.Templates;

public enum Polarity
{
    Positive,
    Neutral,
    Negative,
}

public enum QuestionType
{
    Scale,
    Choice,
    MultiChoice,
    Number,
    Date,
    Text,
}

/// <summary>An option of a scale or a choice question. <see cref="Score"/> is null for "not applicable".</summary>
public sealed record ScaleOption(string Value, string Label, double? Score, Polarity Polarity);

/// <summary>A question is shown only when an earlier question of the same return has one of the given answers.</summary>
public sealed record ShowIf(string Question, IReadOnlyList<string> In);

public sealed record QuestionDefinition(
    string Key,
    string Text,
    string Guidance,
    QuestionType Type,
    string? Scale,
    IReadOnlyList<ScaleOption> Options,
    bool Required,
    double Weight,
    IReadOnlyList<string> Themes,
    ShowIf? ShowIf)
{
    /// <summary>Two question texts that ask the same thing: they differ only by case, spacing and closing punctuation
    /// (the designer's same-key warning and the trends' lines across templates both ask this).</summary>
    public static bool SameWords(string a, string b) => Normal(a) == Normal(b);

    private static string Normal(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('?', '.', '!', ':').ToLowerInvariant();
}

public sealed record SectionDefinition(
    string Key,
    string Title,
    string Guidance,
    IReadOnlyList<string> AgencyKinds,
    IReadOnlyList<QuestionDefinition> Questions)
{
    /// <summary>An empty list means every agency answers the section.</summary>
    public bool AppliesTo(string agencyKind) => AgencyKinds.Count == 0 || AgencyKinds.Contains(agencyKind);
}

public sealed record TemplateDefinition(
    string Key,
    int Version,
    string Title,
    string Description,
    IReadOnlyDictionary<string, IReadOnlyList<ScaleOption>> Scales,
    IReadOnlyList<SectionDefinition> Sections)
{
    public const string Format = "audittool.template/v1";

    /// <summary>The names the template gives its themes ("voice-of-child" reads "Voice of the child"), shown wherever a
    /// person reads a theme; a theme it does not name reads by the built-in name or its key in words
    /// (<see cref="DisplayNames.Theme(string, IReadOnlyDictionary{string, string}?)"/>).</summary>
    public IReadOnlyDictionary<string, string> ThemeNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The longest theme name a template may give.</summary>
    public const int MaxThemeNameLength = 100;

    public IEnumerable<QuestionDefinition> Questions => Sections.SelectMany(s => s.Questions);

    /// <summary>The options a scale or choice question offers (built-in scale, the template's own scale, or its options).</summary>
    public IReadOnlyList<ScaleOption> OptionsOf(QuestionDefinition question) => question.Type switch
    {
        QuestionType.Scale when question.Scale is not null && Scales.TryGetValue(question.Scale, out var own) => own,
        QuestionType.Scale when question.Scale is not null && BuiltInScales.All.TryGetValue(question.Scale, out var builtIn) => builtIn,
        QuestionType.Choice or QuestionType.MultiChoice => question.Options,
        _ => [],
    };
}

public static class BuiltInScales
{
    public const string NotApplicable = "na";

    public static IReadOnlyDictionary<string, IReadOnlyList<ScaleOption>> All { get; } =
        new Dictionary<string, IReadOnlyList<ScaleOption>>
        {
            ["ofsted4"] =
            [
                new("outstanding", "Outstanding", 4, Polarity.Positive),
                new("good", "Good", 3, Polarity.Positive),
                new("requires-improvement", "Requires improvement", 2, Polarity.Negative),
                new("inadequate", "Inadequate", 1, Polarity.Negative),
            ],
            ["yes-partly-no"] =
            [
                new("yes", "Yes", 2, Polarity.Positive),
                new("partly", "Partly", 1, Polarity.Neutral),
                new("no", "No", 0, Polarity.Negative),
                new(NotApplicable, "Not applicable", null, Polarity.Neutral),
            ],
            ["rag"] =
            [
                new("green", "Green", 3, Polarity.Positive),
                new("amber", "Amber", 2, Polarity.Neutral),
                new("red", "Red", 1, Polarity.Negative),
            ],
        };
}

public static class QuestionTypes
{
    public static string ToKey(this QuestionType type) => type switch
    {
        QuestionType.Scale => "scale",
        QuestionType.Choice => "choice",
        QuestionType.MultiChoice => "multichoice",
        QuestionType.Number => "number",
        QuestionType.Date => "date",
        QuestionType.Text => "text",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static QuestionType? Parse(string? key) => key switch
    {
        "scale" => QuestionType.Scale,
        "choice" => QuestionType.Choice,
        "multichoice" => QuestionType.MultiChoice,
        "number" => QuestionType.Number,
        "date" => QuestionType.Date,
        "text" => QuestionType.Text,
        _ => null,
    };

    public static bool HasOptions(this QuestionType type) =>
        type is QuestionType.Scale or QuestionType.Choice or QuestionType.MultiChoice;

    public static string ToKey(this Polarity polarity) => polarity switch
    {
        Polarity.Positive => "positive",
        Polarity.Neutral => "neutral",
        Polarity.Negative => "negative",
        _ => throw new ArgumentOutOfRangeException(nameof(polarity)),
    };

    public static Polarity? ParsePolarity(string? key) => key switch
    {
        "positive" => Polarity.Positive,
        "neutral" => Polarity.Neutral,
        "negative" => Polarity.Negative,
        _ => null,
    };
}
