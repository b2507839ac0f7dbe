namespace AuditTool.Domain.Templates;

public sealed record QuestionRewording(string Key, string OldText, string NewText);

public sealed record QuestionChange(string Key, string What);

/// <summary>What changed between two versions of a template, by stable question key.</summary>
public sealed record TemplateDiff(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<QuestionRewording> Reworded,
    IReadOnlyList<QuestionChange> Changed)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Reworded.Count == 0 && Changed.Count == 0;

    public static TemplateDiff Compare(TemplateDefinition older, TemplateDefinition newer)
    {
        var before = older.Questions.ToDictionary(q => q.Key);
        var after = newer.Questions.ToDictionary(q => q.Key);
        var reworded = new List<QuestionRewording>();
        var changed = new List<QuestionChange>();
        foreach (var q in newer.Questions.Where(q => before.ContainsKey(q.Key)))
        {
            var old = before[q.Key];
            if (old.Text != q.Text)
            {
                reworded.Add(new QuestionRewording(q.Key, old.Text, q.Text));
            }

            var what = new List<string>();
            if (old.Type != q.Type || old.Scale != q.Scale)
            {
                what.Add($"answer type {Describe(old)} → {Describe(q)}");
            }
            else if (!older.OptionsOf(old).SequenceEqual(newer.OptionsOf(q)))
            {
                what.Add("options");
            }

            if (old.Required != q.Required)
            {
                what.Add(q.Required ? "now required" : "no longer required");
            }

            if (!old.Weight.Equals(q.Weight))
            {
                what.Add($"weight {old.Weight} → {q.Weight}");
            }

            if (!old.Themes.SequenceEqual(q.Themes))
            {
                what.Add("themes");
            }

            if (old.ShowIf?.Question != q.ShowIf?.Question || !(old.ShowIf?.In ?? []).SequenceEqual(q.ShowIf?.In ?? []))
            {
                what.Add("condition");
            }

            if (old.Guidance != q.Guidance)
            {
                what.Add("guidance");
            }

            if (what.Count > 0)
            {
                changed.Add(new QuestionChange(q.Key, string.Join(", ", what)));
            }
        }

        return new TemplateDiff(
            newer.Questions.Where(q => !before.ContainsKey(q.Key)).Select(q => q.Key).ToList(),
            older.Questions.Where(q => !after.ContainsKey(q.Key)).Select(q => q.Key).ToList(),
            reworded,
            changed);
    }

    private static string Describe(QuestionDefinition q) => q.Type == QuestionType.Scale ? $"scale {q.Scale}" : q.Type.ToKey();
}
