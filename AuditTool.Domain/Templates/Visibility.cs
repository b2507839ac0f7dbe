namespace AuditTool.Domain.Templates;

/// <summary>Which questions a return shows: its section applies to the agency's kind and its condition holds.</summary>
public static class Visibility
{
    /// <param name="answers">Answers so far by question key: a string, or a list of strings for multichoice.</param>
    public static bool IsShown(TemplateDefinition template, QuestionDefinition question, string agencyKind,
        IReadOnlyDictionary<string, object?> answers)
    {
        var section = template.Sections.FirstOrDefault(s => s.Questions.Contains(question));
        if (section is null || !section.AppliesTo(agencyKind))
        {
            return false;
        }

        if (question.ShowIf is not { } showIf)
        {
            return true;
        }

        // A condition on a question that is itself hidden is false: hidden answers do not count.
        var source = template.Questions.FirstOrDefault(q => q.Key == showIf.Question);
        if (source is null || !IsShown(template, source, agencyKind, answers))
        {
            return false;
        }

        return answers.TryGetValue(showIf.Question, out var answer) && answer switch
        {
            string s => showIf.In.Contains(s),
            IEnumerable<string> many => many.Any(showIf.In.Contains),
            _ => false,
        };
    }

    public static IReadOnlyList<QuestionDefinition> ShownQuestions(TemplateDefinition template, string agencyKind,
        IReadOnlyDictionary<string, object?> answers) =>
        template.Questions.Where(q => IsShown(template, q, agencyKind, answers)).ToList();
}
