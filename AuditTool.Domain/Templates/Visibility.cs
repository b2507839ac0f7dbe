using System.Runtime.CompilerServices;

namespace AuditTool.Domain.Templates;

/// <summary>
/// Which questions a return shows: its section applies to the agency's kind and its condition holds. This is the one
/// rule for stored answers too: an answer (and its evidence) whose question is not shown is kept, but never exported,
/// counted or shown, and it comes back when its condition holds again; nothing may be saved into it meanwhile.
/// </summary>
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

    /// <summary>Whether the answer stored for <paramref name="questionKey"/> is shown (false for a key the template does not have).</summary>
    public static bool IsShown(TemplateDefinition template, string questionKey, string agencyKind, IReadOnlyDictionary<string, object?> answers)
    {
        var index = Indexes.GetValue(template, t => new Index(t));
        return index.ByKey.TryGetValue(questionKey, out var question) && IsShown(index, question, agencyKind, answers, depth: 0);
    }

    /// <summary>The keys whose answers decide a condition: only these answers are needed to know what a return shows.</summary>
    public static IReadOnlySet<string> ControllingKeys(TemplateDefinition template) => Indexes.GetValue(template, t => new Index(t)).Controlling;

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
                    if (question.ShowIf is { } showIf)
                    {
                        Controlling.Add(showIf.Question);
                    }
                }
            }
        }

        public Dictionary<QuestionDefinition, SectionDefinition> SectionOf { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<string, QuestionDefinition> ByKey { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Controlling { get; } = new(StringComparer.Ordinal);
    }
}
