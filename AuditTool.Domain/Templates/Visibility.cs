using System.Runtime.CompilerServices;

namespace AuditTool.Domain.Templates;

/// <summary>Which questions a return shows: its section applies to the agency's kind and its condition holds.</summary>
public static class Visibility
{
    // Per template: each question's section and each key's question, built once (aggregating a million answers asks
    // this a million times).
    private static readonly ConditionalWeakTable<TemplateDefinition, Index> Indexes = new();

    /// <param name="answers">Answers so far by question key: a string, or a list of strings for multichoice.</param>
    public static bool IsShown(TemplateDefinition template, QuestionDefinition question, string agencyKind,
        IReadOnlyDictionary<string, object?> answers)
    {
        var index = Indexes.GetValue(template, t => new Index(t));
        return IsShown(index, question, agencyKind, answers, depth: 0);
    }

    public static IReadOnlyList<QuestionDefinition> ShownQuestions(TemplateDefinition template, string agencyKind,
        IReadOnlyDictionary<string, object?> answers) =>
        template.Questions.Where(q => IsShown(template, q, agencyKind, answers)).ToList();

    private static bool IsShown(Index index, QuestionDefinition question, string agencyKind, IReadOnlyDictionary<string, object?> answers, int depth)
    {
        if (!index.SectionOf.TryGetValue(question, out var section) &&
            !(index.ByKey.TryGetValue(question.Key, out var same) && index.SectionOf.TryGetValue(same, out section)))
        {
            return false;
        }

        if (!section.AppliesTo(agencyKind))
        {
            return false;
        }

        if (question.ShowIf is not { } showIf)
        {
            return true;
        }

        // A condition on a question that is itself hidden is false: hidden answers do not count. (Depth guards a
        // malformed draft whose conditions loop; a valid template only points at earlier questions.)
        if (depth > 64 || !index.ByKey.TryGetValue(showIf.Question, out var source) || !IsShown(index, source, agencyKind, answers, depth + 1))
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

    private sealed class Index
    {
        public Index(TemplateDefinition template)
        {
            foreach (var section in template.Sections)
            {
                foreach (var question in section.Questions)
                {
                    SectionOf.TryAdd(question, section);
                    ByKey.TryAdd(question.Key, question);
                }
            }
        }

        public Dictionary<QuestionDefinition, SectionDefinition> SectionOf { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<string, QuestionDefinition> ByKey { get; } = new(StringComparer.Ordinal);
    }
}
