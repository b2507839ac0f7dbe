using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

/// <summary>
/// One return's answers held by the template's question order (an array) instead of a hash table per return: a source
/// streaming a million answers fills slots without hashing, and the aggregation reads slot <c>i</c> for rule <c>i</c>.
/// It is still a dictionary by question key for everything else (conditions, callers that look answers up by key).
/// </summary>
public sealed class AnswerSet : IReadOnlyDictionary<string, object?>
{
    private static readonly ConditionalWeakTable<TemplateDefinition, AnswerLayout> Layouts = new();

    private readonly object?[] _values;
    private readonly bool[] _present;
    private int _count;

    public AnswerSet(AnswerLayout layout)
    {
        Layout = layout;
        _values = new object?[layout.Keys.Length];
        _present = new bool[layout.Keys.Length];
    }

    public AnswerLayout Layout { get; }

    /// <summary>The slots of a template's questions, in the order of its sections and questions (made once per template).</summary>
    public static AnswerLayout LayoutOf(TemplateDefinition template) => Layouts.GetValue(template, t => new AnswerLayout(t));

    /// <summary>The answer in slot <paramref name="index"/> (null when unanswered).</summary>
    public object? this[int index] => _values[index];

    public void Set(int index, object? value)
    {
        if (!_present[index])
        {
            _present[index] = true;
            _count++;
        }

        _values[index] = value;
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<object?> Values => this.Select(p => p.Value);

    public int Count => _count;

    public bool ContainsKey(string key) => Layout.Index.TryGetValue(key, out var i) && _present[i];

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (Layout.Index.TryGetValue(key, out var i) && _present[i])
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_present[i])
            {
                yield return new KeyValuePair<string, object?>(Layout.Keys[i], _values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Question keys in template order, and each key's slot.</summary>
public sealed class AnswerLayout
{
    internal AnswerLayout(TemplateDefinition template)
    {
        Keys = template.Sections.SelectMany(s => s.Questions).Select(q => q.Key).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Length; i++)
        {
            index.TryAdd(Keys[i], i);
        }

        Index = index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string[] Keys { get; }

    public FrozenDictionary<string, int> Index { get; }
}
