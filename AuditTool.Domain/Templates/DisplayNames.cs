namespace AuditTool.Domain.Templates;

/// <summary>
/// The names people read for theme and scale keys: the report, trends, the Word report and the template editor show
/// "Voice of the child", never <c>voice-of-child</c>. The themes the shipped templates use and the built-in scales are
/// named here; any other key is shown as words ("family-network" reads "Family network").
/// </summary>
public static class DisplayNames
{
    private static readonly Dictionary<string, string> Themes = new(StringComparer.Ordinal)
    {
        ["lived-experience"] = "Child's lived experience",
        ["voice-of-child"] = "Voice of the child",
        ["step-down"] = "Step-down to Early Help",
        ["escalation"] = "Professional escalation",
        ["cumulative-harm"] = "Cumulative harm",
        ["hidden-adults"] = "Hidden adults",
        ["exploitation"] = "Exploitation",
        ["information-sharing"] = "Information sharing",
        ["consent"] = "Consent",
        ["education"] = "Education",
        ["management-oversight"] = "Management oversight",
        ["trauma-informed"] = "Trauma-informed practice",
    };

    private static readonly Dictionary<string, string> Scales = new(StringComparer.Ordinal)
    {
        ["ofsted4"] = "Ofsted grade (outstanding, good, requires improvement, inadequate)",
        ["yes-partly-no"] = "Yes, partly or no",
        ["rag"] = "Red, amber or green",
    };

    public static string Theme(string key) => Themes.TryGetValue(key, out var name) ? name : Words(key);

    /// <summary>A theme's name as its template gives it, else the built-in name, else its key in words.</summary>
    public static string Theme(string key, IReadOnlyDictionary<string, string>? named) =>
        named is not null && named.TryGetValue(key, out var name) && !string.IsNullOrWhiteSpace(name) ? name : Theme(key);

    public static string Scale(string key) => Scales.TryGetValue(key, out var name) ? name : Words(key);

    /// <summary>A key as words: hyphens become spaces, the first letter a capital.</summary>
    public static string Words(string key)
    {
        var words = key.Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? key : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
