using AuditTool.Web.Hosting;

namespace AuditTool.Web.Components.Pages.Returns;

/// <summary>What an open return page reads after news of changes to its return (<see cref="Of"/>).</summary>
/// <param name="Whole">Read the return whole.</param>
/// <param name="Answers">Otherwise, read just these answers (none: nothing to read).</param>
public sealed record HeardChanges(bool Whole, IReadOnlyList<string> Answers)
{
    public static readonly HeardChanges Nothing = new(false, []);

    /// <summary>
    /// The page's own saves are on it already: their news carries the save's time, which the page kept for that answer
    /// (<paramref name="savedAnswers"/>, <paramref name="savedEvidence"/>), so nothing is read for them. Another's saved
    /// answer is read alone. The return is read whole when the change was to the return itself (no key: submitted,
    /// returned, a workbook), or to an answer that decides what else is shown (<paramref name="controlling"/>), or when
    /// the page is read only (it shows the case's other returns beside it).
    /// </summary>
    public static HeardChanges Of(IReadOnlyList<ReturnChange> heard, IReadOnlyDictionary<string, DateTimeOffset> savedAnswers,
        IReadOnlyDictionary<string, DateTimeOffset> savedEvidence, IReadOnlySet<string> controlling, bool editable)
    {
        bool IsOwn(ReturnChange change) =>
            change is { SavedUtc: { } at, QuestionKey.Length: > 0 } &&
            ((savedAnswers.TryGetValue(change.QuestionKey, out var answerAt) && answerAt == at) ||
             (savedEvidence.TryGetValue(change.QuestionKey, out var evidenceAt) && evidenceAt == at));

        var others = heard.Where(h => !IsOwn(h)).ToList();
        if (others.Count == 0)
        {
            return Nothing;
        }

        return !editable || others.Any(h => h.QuestionKey.Length == 0 || controlling.Contains(h.QuestionKey))
            ? new HeardChanges(true, [])
            : new HeardChanges(false, others.Select(h => h.QuestionKey).Distinct(StringComparer.Ordinal).ToList());
    }
}
