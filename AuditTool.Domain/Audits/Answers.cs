using System.Globalization;
using System.Text.Json;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Audits;

/// <summary>
/// How answers are held: in memory a string, or a list of strings for multichoice; stored as that string, or as a
/// JSON list for multichoice. Numbers are invariant-culture text, dates ISO yyyy-MM-dd.
/// </summary>
public static class Answers
{
    public const int MaxTextLength = 10_000;
    public const int MaxEvidenceLength = 10_000;

    public static string? Encode(object? value) => value switch
    {
        null => null,
        string s => s,
        IEnumerable<string> many => JsonSerializer.Serialize(many.ToList()),
        _ => throw new ArgumentException("An answer is text or a list of text.", nameof(value)),
    };

    public static object? Decode(QuestionType type, string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (type != QuestionType.MultiChoice)
        {
            return stored;
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(stored) is { Count: > 0 } list ? list : null;
        }
        catch (JsonException)
        {
            return new List<string> { stored };
        }
    }

    public static IReadOnlyDictionary<string, object?> Decode(TemplateDefinition template, IEnumerable<StoredAnswer> stored)
    {
        var types = template.Questions.ToDictionary(q => q.Key, q => q.Type);
        var answers = new Dictionary<string, object?>();
        foreach (var a in stored)
        {
            if (types.TryGetValue(a.QuestionKey, out var type) && Decode(type, a.Value) is { } value)
            {
                answers[a.QuestionKey] = value;
            }
        }

        return answers;
    }

    /// <summary>
    /// An answer as every save stores it: numbers in one canonical invariant form ("62.5", not "62.50" or "6.25e1"),
    /// text with its line breaks as LF (<see cref="Lines"/>) and blank text as no answer.
    /// </summary>
    public static object? Normalise(QuestionDefinition question, object? value) => question.Type switch
    {
        QuestionType.Number when value is string s &&
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d.ToString(CultureInfo.InvariantCulture),
        QuestionType.Text when value is string text => string.IsNullOrWhiteSpace(text) ? null : Lines(text),
        _ => value,
    };

    /// <summary>An evidence note as every save stores it: line breaks as LF, a blank note as none.</summary>
    public static string? NormaliseEvidence(string? evidence) => string.IsNullOrWhiteSpace(evidence) ? null : Lines(evidence);

    /// <summary>Line breaks as the app stores them, LF (a browser, a spreadsheet or a file may hand back CR LF or CR).</summary>
    public static string Lines(string text) => text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    /// <summary>
    /// The stored answers a return shows (<see cref="Visibility"/>): an answer and its evidence whose question its
    /// section or condition hides are kept in the database but left out of every export, figure and view.
    /// </summary>
    public static IReadOnlyList<T> Shown<T>(TemplateDefinition template, string agencyKind, IReadOnlyList<T> stored, Func<T, string> key, Func<T, string?> value)
    {
        var controlling = Visibility.ControllingKeys(template);
        var types = template.Questions.ToDictionary(q => q.Key, q => q.Type);
        var answers = new Dictionary<string, object?>();
        foreach (var a in stored)
        {
            if (controlling.Contains(key(a)) && types.TryGetValue(key(a), out var type) && Decode(type, value(a)) is { } decoded)
            {
                answers[key(a)] = decoded;
            }
        }

        return stored.Where(a => Visibility.IsShown(template, key(a), agencyKind, answers)).ToList();
    }

    /// <inheritdoc cref="Shown{T}"/>
    public static IReadOnlyList<StoredAnswer> Shown(TemplateDefinition template, string agencyKind, IReadOnlyList<StoredAnswer> stored) =>
        Shown(template, agencyKind, stored, a => a.QuestionKey, a => a.Value);

    /// <summary>The problem with a value for a question in plain English, or null when the question accepts it.</summary>
    public static string? Check(TemplateDefinition template, QuestionDefinition question, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (question.Type)
        {
            case QuestionType.Scale:
            case QuestionType.Choice:
                if (value is not string s)
                {
                    return "expected one of its options.";
                }

                var offered = template.OptionsOf(question).Select(o => o.Value).ToList();
                return offered.Contains(s) ? null : $"\"{s}\" is not one of its options ({string.Join(", ", offered)}).";
            case QuestionType.MultiChoice:
                if (value is not IEnumerable<string> many || value is string)
                {
                    return "expected a list of its options.";
                }

                var list = many.ToList();
                var options = template.OptionsOf(question).Select(o => o.Value).ToHashSet();
                var unknown = list.Where(v => !options.Contains(v)).ToList();
                if (unknown.Count > 0)
                {
                    return $"\"{string.Join("\", \"", unknown)}\" {(unknown.Count == 1 ? "is not one of its options" : "are not among its options")} ({string.Join(", ", options)}).";
                }

                return list.Count != list.Distinct().Count() ? "an option is chosen twice." : null;
            case QuestionType.Number:
                return value is string n && double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? null
                    : $"expected a number, found \"{Show(value)}\".";
            case QuestionType.Date:
                return value is string t && DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null
                    : $"expected a date written yyyy-mm-dd, found \"{Show(value)}\".";
            default:
                if (value is not string text)
                {
                    return "expected text.";
                }

                return text.Length > MaxTextLength ? $"the text is longer than {MaxTextLength:N0} characters." : null;
        }
    }

    /// <summary>Required questions shown to this return and not answered (not applicable counts as an answer).</summary>
    public static IReadOnlyList<QuestionDefinition> Missing(TemplateDefinition template, string agencyKind, IReadOnlyDictionary<string, object?> answers) =>
        Visibility.ShownQuestions(template, agencyKind, answers)
            .Where(q => q.Required && answers.GetValueOrDefault(q.Key) is null)
            .ToList();

    private static string Show(object value) => value is string s ? (s.Length > 40 ? s[..40] + "..." : s) : value.ToString() ?? "";
}

/// <summary>Tells open pages that a return changed, so the same return open elsewhere shows the change.</summary>
public interface IReturnChangeNotifier
{
    /// <summary>Raised here at once and sent to the other servers.</summary>
    void Changed(long returnId, string questionKey);

    /// <summary>The news of a saved answer for the other servers, for the database to send with the save itself (null:
    /// there are no other servers); the save is then raised here with <see cref="ChangedHere"/>. <paramref name="savedUtc"/>
    /// is the save's own time, by which the page that saved knows its own news.</summary>
    ServerNews? NewsOf(long returnId, string questionKey, DateTimeOffset savedUtc) => null;

    /// <summary>Raised on this server only (the others were sent <see cref="NewsOf"/> with the save).</summary>
    void ChangedHere(long returnId, string questionKey, DateTimeOffset savedUtc) => Changed(returnId, questionKey);
}
