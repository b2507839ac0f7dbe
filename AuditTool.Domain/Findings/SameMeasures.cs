using AuditTool.Domain.Logging;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

/// <summary>
/// A scrutineer's confirmation that a question key asks the same thing in two templates although their words differ,
/// so trends join the two and a follow-up on one compares with a baseline on the other. The template keys are held
/// in ordinal order (<see cref="SameMeasures.Ordered"/>).
/// </summary>
public sealed record SameMeasure(string QuestionKey, string TemplateKey, string OtherTemplateKey, string ConfirmedBy, DateTimeOffset ConfirmedUtc);

public interface ISameMeasureRepository
{
    Task<IReadOnlyList<SameMeasure>> GetAllAsync();

    /// <summary>Adds the confirmation with its log line in one transaction; false when it was already there.</summary>
    Task<bool> ConfirmAsync(SameMeasure measure, AuditLogEntry log);

    /// <summary>Removes the confirmation with its log line in one transaction; false when there was none.</summary>
    Task<bool> WithdrawAsync(string questionKey, string templateKey, string otherTemplateKey, AuditLogEntry log);
}

/// <summary>
/// When one question in two audits is one measure (a point on the same trend line, a row of a baseline comparison): the
/// same key in the same template (its versions keep a key on purpose, whatever the wording), or the same key with the
/// same words in another template, or the same key that a scrutineer confirmed asks the same thing there.
/// </summary>
public sealed class SameMeasures(IEnumerable<SameMeasure> confirmed)
{
    public static SameMeasures None { get; } = new([]);

    private readonly HashSet<(string, string, string)> _confirmed = confirmed.Select(m => (m.QuestionKey, m.TemplateKey, m.OtherTemplateKey)).ToHashSet();

    public static (string First, string Second) Ordered(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    public bool IsConfirmed(string questionKey, string templateKey, string otherTemplateKey)
    {
        var (first, second) = Ordered(templateKey, otherTemplateKey);
        return _confirmed.Contains((questionKey, first, second));
    }

    public bool AreOne(string questionKey, string templateKey, string text, string otherTemplateKey, string otherText) =>
        templateKey == otherTemplateKey || QuestionDefinition.SameWords(text, otherText) || IsConfirmed(questionKey, templateKey, otherTemplateKey);
}
