using AuditTool.Domain.Templates;

namespace AuditTool.Web.Components.Pages.Templates;

/// <summary>The designer's mutable copy of a draft. Every edit turns it back into a definition and saves it.</summary>
public sealed class DraftModel
{
    public string Key { get; set; } = string.Empty;

    public int Version { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public List<ScaleModel> Scales { get; set; } = [];

    public List<SectionModel> Sections { get; set; } = [];

    public IEnumerable<QuestionModel> Questions => Sections.SelectMany(s => s.Questions);

    public static DraftModel From(TemplateDefinition t) => new()
    {
        ThemeNames = t.ThemeNames,
        Key = t.Key,
        Version = t.Version,
        Title = t.Title,
        Description = t.Description,
        Scales = t.Scales.Select(s => new ScaleModel { Name = s.Key, Options = s.Value.Select(OptionModel.From).ToList() }).ToList(),
        Sections = t.Sections.Select(s => new SectionModel
        {
            Key = s.Key,
            Title = s.Title,
            Guidance = s.Guidance,
            AgencyKinds = s.AgencyKinds.ToList(),
            Questions = s.Questions.Select(QuestionModel.From).ToList(),
        }).ToList(),
    };

    public TemplateDefinition ToDefinition() => new(
        Key,
        Version,
        Title.Trim(),
        Description.Trim(),
        Scales.Where(s => !string.IsNullOrWhiteSpace(s.Name))
            .GroupBy(s => s.Name.Trim())
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ScaleOption>)g.First().Options.Select(o => o.ToOption()).ToList()),
        Sections.Select(s => new SectionDefinition(s.Key.Trim(), s.Title.Trim(), s.Guidance.Trim(), s.AgencyKinds.ToList(),
            s.Questions.Select(q => q.ToDefinition()).ToList())).ToList())
    {
        ThemeNames = ThemeNames,
    };

    /// <summary>The names the template gives its themes, kept as they came (a file can name them).</summary>
    public IReadOnlyDictionary<string, string> ThemeNames { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The first key of the form prefix-N not used by any section or question.</summary>
    public string NextKey(string prefix)
    {
        var used = Sections.Select(s => s.Key).Concat(Questions.Select(q => q.Key)).ToHashSet();
        for (var i = 1; ; i++)
        {
            if (!used.Contains($"{prefix}-{i}"))
            {
                return $"{prefix}-{i}";
            }
        }
    }
}

public sealed class ScaleModel
{
    public string Name { get; set; } = string.Empty;

    public List<OptionModel> Options { get; set; } = [];
}

public sealed class SectionModel
{
    public string Key { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string Guidance { get; set; } = string.Empty;

    public List<string> AgencyKinds { get; set; } = [];

    public List<QuestionModel> Questions { get; set; } = [];
}

public sealed class QuestionModel
{
    public string Key { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public string Guidance { get; set; } = string.Empty;

    public QuestionType Type { get; set; } = QuestionType.Scale;

    public string? Scale { get; set; } = "yes-partly-no";

    public List<OptionModel> Options { get; set; } = [];

    public bool Required { get; set; } = true;

    public double Weight { get; set; } = 1;

    public string Themes { get; set; } = string.Empty;

    public string? ShowIfQuestion { get; set; }

    public List<string> ShowIfValues { get; set; } = [];

    public static QuestionModel From(QuestionDefinition q) => new()
    {
        Key = q.Key,
        Text = q.Text,
        Guidance = q.Guidance,
        Type = q.Type,
        Scale = q.Scale,
        Options = q.Options.Select(OptionModel.From).ToList(),
        Required = q.Required,
        Weight = q.Weight,
        Themes = string.Join(", ", q.Themes),
        ShowIfQuestion = q.ShowIf?.Question,
        ShowIfValues = q.ShowIf?.In.ToList() ?? [],
    };

    public QuestionDefinition ToDefinition() => new(
        Key.Trim(),
        Text.Trim(),
        Guidance.Trim(),
        Type,
        Type == QuestionType.Scale ? Scale : null,
        Type is QuestionType.Choice or QuestionType.MultiChoice ? Options.Select(o => o.ToOption()).ToList() : [],
        Required,
        Weight,
        Themes.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList(),
        string.IsNullOrWhiteSpace(ShowIfQuestion) ? null : new ShowIf(ShowIfQuestion, ShowIfValues.ToList()));
}

public sealed class OptionModel
{
    public string Value { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;

    public double? Score { get; set; }

    public Polarity Polarity { get; set; } = Polarity.Neutral;

    public static OptionModel From(ScaleOption o) => new() { Value = o.Value, Label = o.Label, Score = o.Score, Polarity = o.Polarity };

    public ScaleOption ToOption() => new(Value.Trim(), Label.Trim(), Score, Polarity);
}
