using AuditTool.Domain.Templates;

namespace AuditTool.Tests.Domain;

/// <summary>Builds small templates for tests: one section per call to <see cref="Section"/>.</summary>
public sealed class TemplateBuilder
{
    private readonly List<SectionDefinition> _sections = [];
    private readonly Dictionary<string, IReadOnlyList<ScaleOption>> _scales = [];

    public TemplateBuilder Section(string key, IReadOnlyList<string>? agencyKinds = null, params QuestionDefinition[] questions)
    {
        _sections.Add(new SectionDefinition(key, "Section " + key, "", agencyKinds ?? [], questions));
        return this;
    }

    public TemplateBuilder Scale(string name, params ScaleOption[] options)
    {
        _scales[name] = options;
        return this;
    }

    public TemplateDefinition Build(string key = "test") => new(key, 1, "Test template", "", _scales, _sections);

    public static QuestionDefinition Q(string key, string scale = "yes-partly-no", ShowIf? showIf = null, double weight = 1,
        QuestionType type = QuestionType.Scale, IReadOnlyList<ScaleOption>? options = null, string text = "A question?") =>
        new(key, text, "", type, type == QuestionType.Scale ? scale : null, options ?? [], true, weight, ["voice-of-child"], showIf);
}
