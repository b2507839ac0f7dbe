using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuditTool.Domain.Templates;

/// <summary>A template file that could not be read: every problem names its JSON path.</summary>
public sealed class TemplateFormatException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Reads and writes the <c>audittool.template/v1</c> format.</summary>
public static class TemplateJson
{
    public const int MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>How deeply a template file may nest (a template needs about 8 levels).</summary>
    public const int MaxDepth = 32;

    public static TemplateDefinition Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new TemplateFormatException([JsonProblem.Describe(ex, MaxDepth)]);
        }

        using (doc)
        {
            return Read(doc.RootElement, "$");
        }
    }

    /// <summary>Reads a template from an element (also used for the template inside an audit package).</summary>
    public static TemplateDefinition Read(JsonElement root, string path)
    {
        var reader = new Reader();
        var template = reader.Template(root, path);
        if (reader.Problems.Count > 0 || template is null)
        {
            throw new TemplateFormatException(reader.Problems);
        }

        return template;
    }

    public static string Write(TemplateDefinition template)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(w, template);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Whether a stored version and a file hold the same template: the same JSON, or a version stored before templates
    /// named their themes against a file whose names are the very names the version already shows (the built-in ones),
    /// so the shipped files, which now name their themes, still match the versions loaded from them before.
    /// </summary>
    public static bool SameContent(TemplateDefinition stored, TemplateDefinition file)
    {
        var json = Write(stored);
        return json == Write(file) ||
               (stored.ThemeNames.Count == 0 && file.ThemeNames.Count > 0 &&
                file.ThemeNames.All(n => n.Value == DisplayNames.Theme(n.Key)) &&
                json == Write(file with { ThemeNames = new Dictionary<string, string>(StringComparer.Ordinal) }));
    }

    public static void Write(Utf8JsonWriter w, TemplateDefinition template)
    {
        w.WriteStartObject();
        w.WriteString("format", TemplateDefinition.Format);
        w.WriteString("key", template.Key);
        w.WriteNumber("version", template.Version);
        w.WriteString("title", template.Title);
        w.WriteString("description", template.Description);
        w.WriteStartObject("scales");
        foreach (var (name, options) in template.Scales)
        {
            w.WritePropertyName(name);
            WriteOptions(w, options);
        }

        w.WriteEndObject();
        if (template.ThemeNames.Count > 0)
        {
            w.WriteStartObject("themeNames");
            foreach (var (theme, name) in template.ThemeNames.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                w.WriteString(theme, name);
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("sections");
        foreach (var section in template.Sections)
        {
            w.WriteStartObject();
            w.WriteString("key", section.Key);
            w.WriteString("title", section.Title);
            w.WriteString("guidance", section.Guidance);
            w.WriteStartArray("agencyKinds");
            foreach (var kind in section.AgencyKinds)
            {
                w.WriteStringValue(kind);
            }

            w.WriteEndArray();
            w.WriteStartArray("questions");
            foreach (var q in section.Questions)
            {
                WriteQuestion(w, q);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteQuestion(Utf8JsonWriter w, QuestionDefinition q)
    {
        w.WriteStartObject();
        w.WriteString("key", q.Key);
        w.WriteString("text", q.Text);
        w.WriteString("guidance", q.Guidance);
        w.WriteString("type", q.Type.ToKey());
        if (q.Type == QuestionType.Scale)
        {
            w.WriteString("scale", q.Scale);
        }

        if (q.Type is QuestionType.Choice or QuestionType.MultiChoice)
        {
            w.WritePropertyName("options");
            WriteOptions(w, q.Options);
        }

        w.WriteBoolean("required", q.Required);
        w.WriteNumber("weight", q.Weight);
        w.WriteStartArray("themes");
        foreach (var theme in q.Themes)
        {
            w.WriteStringValue(theme);
        }

        w.WriteEndArray();
        if (q.ShowIf is { } showIf)
        {
            w.WriteStartObject("showIf");
            w.WriteString("question", showIf.Question);
            w.WriteStartArray("in");
            foreach (var value in showIf.In)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter w, IReadOnlyList<ScaleOption> options)
    {
        w.WriteStartArray();
        foreach (var o in options)
        {
            w.WriteStartObject();
            w.WriteString("value", o.Value);
            w.WriteString("label", o.Label);
            if (o.Score is { } score)
            {
                w.WriteNumber("score", score);
            }
            else
            {
                w.WriteNull("score");
            }

            w.WriteString("polarity", o.Polarity.ToKey());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private sealed class Reader
    {
        public List<string> Problems { get; } = [];

        public TemplateDefinition? Template(JsonElement root, string path)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problems.Add($"{path}: expected an object (a template), found {Describe(root)}.");
                return null;
            }

            var format = String(root, path, "format", required: true);
            if (format is not null && format != TemplateDefinition.Format)
            {
                Problems.Add($"{path}.format: expected \"{TemplateDefinition.Format}\", found \"{format}\".");
            }

            var key = String(root, path, "key", required: true) ?? string.Empty;
            var version = 1;
            if (root.TryGetProperty("version", out var v))
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out version) || version < 1)
                {
                    Problems.Add($"{path}.version: expected a whole number of 1 or more, found {Describe(v)}.");
                }
            }

            var title = String(root, path, "title", required: true) ?? string.Empty;
            var description = String(root, path, "description", required: false) ?? string.Empty;
            var scales = new Dictionary<string, IReadOnlyList<ScaleOption>>();
            if (root.TryGetProperty("scales", out var scalesElement) && scalesElement.ValueKind != JsonValueKind.Null)
            {
                if (scalesElement.ValueKind != JsonValueKind.Object)
                {
                    Problems.Add($"{path}.scales: expected an object of named scales, found {Describe(scalesElement)}.");
                }
                else
                {
                    foreach (var scale in scalesElement.EnumerateObject())
                    {
                        scales[scale.Name] = Options(scale.Value, $"{path}.scales.{scale.Name}");
                    }
                }
            }

            var themeNames = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("themeNames", out var namesElement) && namesElement.ValueKind != JsonValueKind.Null)
            {
                if (namesElement.ValueKind != JsonValueKind.Object)
                {
                    Problems.Add($"{path}.themeNames: expected an object of theme keys and their names, found {Describe(namesElement)}.");
                }
                else
                {
                    foreach (var named in namesElement.EnumerateObject())
                    {
                        var name = named.Value.ValueKind == JsonValueKind.String ? named.Value.GetString()!.Trim() : null;
                        if (!TemplateValidator.IsKey(named.Name))
                        {
                            Problems.Add($"{path}.themeNames.{named.Name}: a theme key is lowercase letters, digits and hyphens, such as \"voice-of-child\".");
                        }
                        else if (string.IsNullOrEmpty(name) || name.Length > TemplateDefinition.MaxThemeNameLength)
                        {
                            Problems.Add($"{path}.themeNames.{named.Name}: expected a name of 1 to {TemplateDefinition.MaxThemeNameLength} characters, found {Describe(named.Value)}.");
                        }
                        else
                        {
                            themeNames[named.Name] = name;
                        }
                    }
                }
            }

            var sections = new List<SectionDefinition>();
            if (!root.TryGetProperty("sections", out var sectionsElement) || sectionsElement.ValueKind != JsonValueKind.Array)
            {
                Problems.Add($"{path}.sections: expected a list of sections.");
            }
            else
            {
                var i = 0;
                foreach (var section in sectionsElement.EnumerateArray())
                {
                    if (Section(section, $"{path}.sections[{i}]") is { } s)
                    {
                        sections.Add(s);
                    }

                    i++;
                }
            }

            return new TemplateDefinition(key, version, title, description, scales, sections) { ThemeNames = themeNames };
        }

        private SectionDefinition? Section(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                Problems.Add($"{path}: expected an object (a section), found {Describe(e)}.");
                return null;
            }

            var key = String(e, path, "key", required: true) ?? string.Empty;
            var title = String(e, path, "title", required: true) ?? string.Empty;
            var guidance = String(e, path, "guidance", required: false) ?? string.Empty;
            var kinds = StringList(e, path, "agencyKinds");
            var questions = new List<QuestionDefinition>();
            if (!e.TryGetProperty("questions", out var qs) || qs.ValueKind != JsonValueKind.Array)
            {
                Problems.Add($"{path}.questions: expected a list of questions.");
            }
            else
            {
                var i = 0;
                foreach (var q in qs.EnumerateArray())
                {
                    if (Question(q, $"{path}.questions[{i}]") is { } question)
                    {
                        questions.Add(question);
                    }

                    i++;
                }
            }

            return new SectionDefinition(key, title, guidance, kinds, questions);
        }

        private QuestionDefinition? Question(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                Problems.Add($"{path}: expected an object (a question), found {Describe(e)}.");
                return null;
            }

            var key = String(e, path, "key", required: true) ?? string.Empty;
            var text = String(e, path, "text", required: true) ?? string.Empty;
            var guidance = String(e, path, "guidance", required: false) ?? string.Empty;
            var typeKey = String(e, path, "type", required: true);
            var type = QuestionTypes.Parse(typeKey);
            if (typeKey is not null && type is null)
            {
                Problems.Add($"{path}.type: \"{typeKey}\" is not a question type (scale, choice, multichoice, number, date, text).");
            }

            string? scale = null;
            IReadOnlyList<ScaleOption> options = [];
            if (type == QuestionType.Scale)
            {
                scale = String(e, path, "scale", required: true);
            }
            else if (type is QuestionType.Choice or QuestionType.MultiChoice)
            {
                if (e.TryGetProperty("options", out var o))
                {
                    options = Options(o, $"{path}.options");
                }
                else
                {
                    Problems.Add($"{path}.options: a {typeKey} question needs a list of options.");
                }
            }

            var required = false;
            if (e.TryGetProperty("required", out var r))
            {
                if (r.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    required = r.GetBoolean();
                }
                else
                {
                    Problems.Add($"{path}.required: expected true or false, found {Describe(r)}.");
                }
            }

            var weight = 1d;
            if (e.TryGetProperty("weight", out var w))
            {
                if (w.ValueKind != JsonValueKind.Number)
                {
                    Problems.Add($"{path}.weight: expected a number, found {Describe(w)}.");
                }
                else
                {
                    weight = w.GetDouble();
                }
            }

            var themes = StringList(e, path, "themes");
            ShowIf? showIf = null;
            if (e.TryGetProperty("showIf", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.Object)
                {
                    Problems.Add($"{path}.showIf: expected an object with \"question\" and \"in\", found {Describe(s)}.");
                }
                else
                {
                    var question = String(s, $"{path}.showIf", "question", required: true) ?? string.Empty;
                    var values = StringList(s, $"{path}.showIf", "in");
                    showIf = new ShowIf(question, values);
                }
            }

            return new QuestionDefinition(key, text, guidance, type ?? QuestionType.Text, scale, options, required, weight,
                themes, showIf);
        }

        private IReadOnlyList<ScaleOption> Options(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                Problems.Add($"{path}: expected a list of options, found {Describe(e)}.");
                return [];
            }

            var list = new List<ScaleOption>();
            var i = 0;
            foreach (var o in e.EnumerateArray())
            {
                var p = $"{path}[{i++}]";
                if (o.ValueKind != JsonValueKind.Object)
                {
                    Problems.Add($"{p}: expected an option object, found {Describe(o)}.");
                    continue;
                }

                var value = String(o, p, "value", required: true) ?? string.Empty;
                var label = String(o, p, "label", required: false) ?? value;
                double? score = null;
                if (o.TryGetProperty("score", out var sc) && sc.ValueKind != JsonValueKind.Null)
                {
                    if (sc.ValueKind == JsonValueKind.Number)
                    {
                        score = sc.GetDouble();
                    }
                    else
                    {
                        Problems.Add($"{p}.score: expected a number or null, found {Describe(sc)}.");
                    }
                }

                var polarityKey = String(o, p, "polarity", required: false) ?? "neutral";
                var polarity = QuestionTypes.ParsePolarity(polarityKey);
                if (polarity is null)
                {
                    Problems.Add($"{p}.polarity: \"{polarityKey}\" is not a polarity (positive, neutral, negative).");
                }

                list.Add(new ScaleOption(value, label, score, polarity ?? Polarity.Neutral));
            }

            return list;
        }

        private string? String(JsonElement e, string path, string name, bool required)
        {
            if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Problems.Add($"{path}.{name}: missing.");
                }

                return null;
            }

            if (p.ValueKind != JsonValueKind.String)
            {
                Problems.Add($"{path}.{name}: expected text, found {Describe(p)}.");
                return null;
            }

            return p.GetString();
        }

        private IReadOnlyList<string> StringList(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (p.ValueKind != JsonValueKind.Array)
            {
                Problems.Add($"{path}.{name}: expected a list of text values, found {Describe(p)}.");
                return [];
            }

            var list = new List<string>();
            var i = 0;
            foreach (var item in p.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(item.GetString()!);
                }
                else
                {
                    Problems.Add($"{path}.{name}[{i}]: expected text, found {Describe(item)}.");
                }

                i++;
            }

            return list;
        }

        private static string Describe(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => $"the text \"{Truncate(e.GetString()!)}\"",
            JsonValueKind.Number => $"the number {e.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            _ => "nothing",
        };

        private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
    }

}
