namespace AuditTool.Web.Components.Shared;

/// <summary>
/// A form's problems placed beside the fields they are about: each message goes to the first field (in the order the
/// fields stand on the screen) whose rule matches it; what matches no field stays in the summary. The form shows every
/// problem at once, marks each field (aria-invalid, the message beside it) and moves focus to the first problem.
/// </summary>
public sealed class FieldProblems
{
    private readonly Dictionary<string, List<string>> _byField = [];
    private readonly List<string> _unplaced = [];

    /// <summary>Every problem, in the order the service gave them.</summary>
    public IReadOnlyList<string> All { get; private set; } = [];

    /// <summary>Problems that belong to no field: shown only in the summary.</summary>
    public IReadOnlyList<string> Unplaced => _unplaced;

    /// <summary>The id of the first field with a problem, in screen order; null when no field has one.</summary>
    public string? FirstField { get; private set; }

    /// <summary>Moves each time problems are set, so the page focuses the first problem once per attempt.</summary>
    public int Version { get; private set; }

    public bool Any => All.Count > 0;

    /// <param name="fields">The form's fields in screen order, each with the rule that tells its messages.</param>
    public void Set(IEnumerable<string> problems, IReadOnlyList<(string Field, Func<string, bool> Matches)> fields)
    {
        _byField.Clear();
        _unplaced.Clear();
        All = problems.Distinct().ToList();
        foreach (var problem in All)
        {
            var field = fields.FirstOrDefault(f => f.Matches(problem)).Field;
            if (field is null)
            {
                _unplaced.Add(problem);
            }
            else
            {
                (_byField.TryGetValue(field, out var list) ? list : _byField[field] = []).Add(problem);
            }
        }

        FirstField = fields.Select(f => f.Field).FirstOrDefault(_byField.ContainsKey);
        Version++;
    }

    public void Clear()
    {
        _byField.Clear();
        _unplaced.Clear();
        All = [];
        FirstField = null;
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    public IReadOnlyList<string> For(string field) => _byField.TryGetValue(field, out var list) ? list : [];

    /// <summary>The value of a field's aria-invalid: "true", or null so the attribute is left out.</summary>
    public string? Invalid(string field) => Has(field) ? "true" : null;

    /// <summary>The id of the message beside a field, for its aria-describedby; null when it has none.</summary>
    public string? DescribedBy(string field) => Has(field) ? ErrorId(field) : null;

    public static string ErrorId(string field) => $"{field}-error";

    /// <summary>A rule that matches a message containing any of the words (case does not matter).</summary>
    public static Func<string, bool> Mentions(params string[] words) =>
        message => words.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase));
}
