using System.Text.RegularExpressions;
using AuditTool.Domain.Agencies;

namespace AuditTool.Domain.Templates;

/// <summary>The rules a template must meet before it is published or imported, each problem in plain English.</summary>
public static partial class TemplateValidator
{
    public const int MaxTextLength = 2000;
    public const int MaxGuidanceLength = 4000;

    /// <summary>The names a template gives its themes: a theme key each, named in 1 to 100 characters.</summary>
    public static IEnumerable<string> ThemeNameProblems(TemplateDefinition t)
    {
        foreach (var (theme, name) in t.ThemeNames)
        {
            if (!IsKey(theme))
            {
                yield return $"The theme \"{theme}\" must be lowercase letters, digits and hyphens.";
            }
            else if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > TemplateDefinition.MaxThemeNameLength)
            {
                yield return $"The name of the theme \"{theme}\" is 1 to {TemplateDefinition.MaxThemeNameLength} characters.";
            }
        }
    }

    public static IReadOnlyList<string> Validate(TemplateDefinition t)
    {
        var problems = new List<string>();
        if (!IsKey(t.Key))
        {
            problems.Add($"The template key \"{t.Key}\" must be lowercase letters, digits and hyphens.");
        }

        if (string.IsNullOrWhiteSpace(t.Title))
        {
            problems.Add("The template has no title.");
        }

        foreach (var (name, options) in t.Scales)
        {
            if (BuiltInScales.All.ContainsKey(name))
            {
                problems.Add($"The scale \"{name}\" has the name of a built-in scale: choose another name.");
            }

            CheckOptions(options, $"scale \"{name}\"", problems);
        }

        problems.AddRange(ThemeNameProblems(t));
        if (t.Sections.Count == 0)
        {
            problems.Add("The template has no sections.");
        }

        var sectionKeys = new HashSet<string>();
        var questions = new Dictionary<string, QuestionDefinition>();
        var earlierKinds = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (section, si) in t.Sections.Select((s, i) => (s, i + 1)))
        {
            var where = $"Section {si}" + (string.IsNullOrWhiteSpace(section.Title) ? string.Empty : $" (\"{section.Title}\")");
            if (!IsKey(section.Key))
            {
                problems.Add($"{where}: the key \"{section.Key}\" must be lowercase letters, digits and hyphens.");
            }
            else if (!sectionKeys.Add(section.Key))
            {
                problems.Add($"{where}: the key \"{section.Key}\" is used by another section.");
            }

            if (string.IsNullOrWhiteSpace(section.Title))
            {
                problems.Add($"{where} has no title.");
            }

            foreach (var kind in section.AgencyKinds.Where(k => !AgencyKinds.IsKnown(k)))
            {
                problems.Add($"{where}: \"{kind}\" is not an agency kind ({string.Join(", ", AgencyKinds.All)}).");
            }

            if (section.Questions.Count == 0)
            {
                problems.Add($"{where} has no questions.");
            }

            foreach (var q in section.Questions)
            {
                CheckQuestion(t, q, questions, problems);
                if (!string.IsNullOrWhiteSpace(q.Key) && !questions.ContainsKey(q.Key))
                {
                    questions[q.Key] = q;
                }
            }
        }

        return problems;
    }

    private static void CheckQuestion(TemplateDefinition t, QuestionDefinition q, Dictionary<string, QuestionDefinition> earlier,
        List<string> problems)
    {
        var where = $"Question \"{q.Key}\"";
        if (!IsKey(q.Key))
        {
            problems.Add($"{where}: a question key must be lowercase letters, digits and hyphens.");
        }
        else if (earlier.ContainsKey(q.Key))
        {
            problems.Add($"{where}: the key is used by another question; every question key must be unique.");
        }

        if (string.IsNullOrWhiteSpace(q.Text))
        {
            problems.Add($"{where} has no text.");
        }
        else if (q.Text.Length > MaxTextLength)
        {
            problems.Add($"{where}: the text is longer than {MaxTextLength} characters.");
        }

        if (q.Guidance.Length > MaxGuidanceLength)
        {
            problems.Add($"{where}: the guidance is longer than {MaxGuidanceLength} characters.");
        }

        if (!(q.Weight > 0) || double.IsInfinity(q.Weight))
        {
            problems.Add($"{where}: the weight must be a positive number.");
        }

        foreach (var theme in q.Themes.Where(th => !IsKey(th)))
        {
            problems.Add($"{where}: the theme \"{theme}\" must be lowercase letters, digits and hyphens.");
        }

        switch (q.Type)
        {
            case QuestionType.Scale when string.IsNullOrWhiteSpace(q.Scale):
                problems.Add($"{where}: a scale question must name its scale.");
                break;
            case QuestionType.Scale when !t.Scales.ContainsKey(q.Scale!) && !BuiltInScales.All.ContainsKey(q.Scale!):
                problems.Add($"{where}: the scale \"{q.Scale}\" does not exist (built in: {string.Join(", ", BuiltInScales.All.Keys)}).");
                break;
            case QuestionType.Choice or QuestionType.MultiChoice:
                if (q.Options.Count < 2)
                {
                    problems.Add($"{where}: a choice question needs at least two options.");
                }

                CheckOptions(q.Options, where, problems);
                break;
        }

        if (q.ShowIf is { } showIf)
        {
            if (!earlier.TryGetValue(showIf.Question, out var source))
            {
                problems.Add(showIf.Question == q.Key || string.IsNullOrWhiteSpace(showIf.Question)
                    ? $"{where}: the condition must name an earlier question."
                    : $"{where}: the condition refers to \"{showIf.Question}\", which is not an earlier question.");
            }
            else if (!source.Type.HasOptions())
            {
                problems.Add($"{where}: the condition refers to \"{showIf.Question}\", which has no options to test.");
            }
            else
            {
                if (showIf.In.Count == 0)
                {
                    problems.Add($"{where}: the condition lists no answers of \"{showIf.Question}\".");
                }

                var offered = t.OptionsOf(source).Select(o => o.Value).ToHashSet();
                foreach (var value in showIf.In.Where(v => !offered.Contains(v)))
                {
                    problems.Add($"{where}: the condition tests for \"{value}\", which \"{showIf.Question}\" does not offer.");
                }
            }
        }
    }

    private static void CheckOptions(IReadOnlyList<ScaleOption> options, string where, List<string> problems)
    {
        if (options.Count < 2)
        {
            problems.Add($"{where}: needs at least two options.");
        }

        var seen = new HashSet<string>();
        foreach (var o in options)
        {
            if (string.IsNullOrWhiteSpace(o.Value))
            {
                problems.Add($"{where}: an option has no value.");
            }
            else if (!seen.Add(o.Value))
            {
                problems.Add($"{where}: the option value \"{o.Value}\" appears twice.");
            }

            if (string.IsNullOrWhiteSpace(o.Label))
            {
                problems.Add($"{where}: the option \"{o.Value}\" has no label.");
            }
        }
    }

    public static bool IsKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KeyPattern();
}
