using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AuditTool.Domain.Sampling;

/// <summary>Checking, applying, describing and recording sample criteria.</summary>
public static class CriteriaRules
{
    /// <summary>Every reason the criteria cannot be applied to this cohort, in plain English; empty when they can.</summary>
    public static IReadOnlyList<string> Validate(SampleCriteria criteria, Cohort cohort)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(cohort);

        var known = new HashSet<string>(cohort.Attributes, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        var groups = criteria.AllOf ?? [];
        for (var g = 0; g < groups.Count; g++)
        {
            var conditions = groups[g]?.AnyOf ?? [];
            if (conditions.Count == 0)
                problems.Add($"Condition group {g + 1} is empty: it needs at least one condition.");

            foreach (var criterion in conditions)
            {
                var attribute = criterion.Attribute ?? "";
                var values = criterion.Values ?? [];
                var isKnown = known.Contains(attribute);
                if (!isKnown)
                    problems.Add($"There is no attribute called '{attribute}'.");

                switch (criterion.Operator)
                {
                    case CriterionOperator.Equals when values.Count != 1:
                        problems.Add($"The condition on '{attribute}' (equals) needs exactly one value; it has {values.Count}.");
                        break;
                    case CriterionOperator.In when values.Count == 0:
                        problems.Add($"The condition on '{attribute}' (is one of) needs at least one value.");
                        break;
                    case CriterionOperator.AtMost or CriterionOperator.AtLeast:
                        var words = Words(criterion.Operator);
                        if (values.Count != 1)
                            problems.Add($"The condition on '{attribute}' ({words}) needs exactly one number; it has {values.Count} values.");
                        else if (!CohortNumber.TryParse(values[0], out _))
                            problems.Add($"'{attribute}' {words} '{values[0]}': the value must be a number.");
                        if (isKnown && !cohort.NumericAttributes.Contains(attribute))
                            problems.Add($"'{attribute}' is text in this cohort, so it cannot be compared with at most/at least.");
                        break;
                    case CriterionOperator.Equals or CriterionOperator.In:
                        break;
                    default:
                        problems.Add($"The condition on '{attribute}' has an unknown operator.");
                        break;
                }
            }
        }
        return problems;
    }

    /// <summary>
    /// Whether the case meets the criteria: every group has a condition it meets. A condition that
    /// <see cref="Validate"/> would reject never matches.
    /// </summary>
    public static bool Matches(SampleCriteria criteria, CohortRow row)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(row);
        return (criteria.AllOf ?? []).All(group => (group?.AnyOf ?? []).Any(criterion => Matches(criterion, row)));
    }

    private static bool Matches(Criterion criterion, CohortRow row)
    {
        if (criterion.Attribute is null || !row.Attributes.TryGetValue(criterion.Attribute, out var cell)) return false;
        var values = criterion.Values ?? [];
        switch (criterion.Operator)
        {
            case CriterionOperator.Equals:
                return values.Count == 1 && SameText(cell, values[0]);
            case CriterionOperator.In:
                return values.Any(value => SameText(cell, value));
            case CriterionOperator.AtMost or CriterionOperator.AtLeast:
                if (values.Count != 1
                    || !CohortNumber.TryParse(values[0], out var limit)
                    || !CohortNumber.TryParse(cell, out var number)) return false;
                return criterion.Operator == CriterionOperator.AtMost ? number <= limit : number >= limit;
            default:
                return false;
        }
    }

    private static bool SameText(string cell, string? value) =>
        string.Equals(cell.Trim(), value?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The criteria in words, e.g. (attendance at most 70 or suspension days at least 5) and send equals "SEN support".</summary>
    public static string Describe(SampleCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var groups = criteria.AllOf ?? [];
        if (groups.Count == 0) return "every case in the cohort";

        return string.Join(" and ", groups.Select(group =>
        {
            var conditions = group?.AnyOf ?? [];
            return conditions.Count switch
            {
                0 => "(no conditions)",
                1 => Describe(conditions[0]),
                _ => "(" + string.Join(" or ", conditions.Select(Describe)) + ")",
            };
        }));
    }

    private static string Describe(Criterion criterion)
    {
        var values = (criterion.Values ?? []).Select(v => v?.Trim() ?? "").ToList();
        var subject = criterion.Attribute?.Trim() ?? "";
        return criterion.Operator switch
        {
            CriterionOperator.Equals => $"{subject} equals {Quoted(values)}",
            CriterionOperator.In => $"{subject} is one of {Quoted(values)}",
            CriterionOperator.AtMost or CriterionOperator.AtLeast =>
                $"{subject} {Words(criterion.Operator)} {(values.Count == 0 ? "(no value)" : string.Join(" or ", values))}",
            _ => $"{subject} (unknown condition)",
        };
    }

    private static string Quoted(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return "(no value)";
        var quoted = values.Select(v => $"\"{v}\"").ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " or " + quoted[^1];
    }

    private static string Words(CriterionOperator op) => op == CriterionOperator.AtMost ? "at most" : "at least";

    private static readonly (CriterionOperator Operator, string Name)[] OperatorNames =
    [
        (CriterionOperator.Equals, "equals"),
        (CriterionOperator.In, "in"),
        (CriterionOperator.AtMost, "at-most"),
        (CriterionOperator.AtLeast, "at-least"),
    ];

    /// <summary>
    /// The criteria as JSON, for the audit's record. The shape is a contract:
    /// {"allOf":[{"anyOf":[{"attribute":"attendance","operator":"at-most","values":["70"]}]}]}.
    /// </summary>
    public static string ToJson(SampleCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        using var stream = new MemoryStream();
        // Relaxed escaping keeps the record readable: Children's stays Children's rather than Children\u0027s.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("allOf");
            foreach (var group in criteria.AllOf ?? [])
            {
                json.WriteStartObject();
                json.WriteStartArray("anyOf");
                foreach (var criterion in group?.AnyOf ?? [])
                {
                    json.WriteStartObject();
                    json.WriteString("attribute", criterion.Attribute);
                    json.WriteString("operator", OperatorName(criterion.Operator));
                    json.WriteStartArray("values");
                    foreach (var value in criterion.Values ?? []) json.WriteStringValue(value);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads criteria written by <see cref="ToJson"/>. Properties other than the contract's are ignored.</summary>
    /// <exception cref="CohortException">The text is not criteria JSON; the problem names the JSON path.</exception>
    public static SampleCriteria FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CohortException($"The sample criteria are not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var groups = ListAt(root, "allOf", "$").Select((group, g) =>
            {
                var path = $"$.allOf[{g}]";
                var conditions = ListAt(group, "anyOf", path).Select((criterion, c) =>
                {
                    var at = $"{path}.anyOf[{c}]";
                    var attribute = TextAt(PropertyAt(criterion, "attribute", at), $"{at}.attribute");
                    var operatorName = TextAt(PropertyAt(criterion, "operator", at), $"{at}.operator");
                    var op = OperatorNames.Where(o => o.Name == operatorName).Select(o => (CriterionOperator?)o.Operator).FirstOrDefault()
                        ?? throw new CohortException(
                            $"The sample criteria at {at}.operator: '{operatorName}' is not one of {string.Join(", ", OperatorNames.Select(o => o.Name))}.");
                    var values = ListAt(criterion, "values", at).Select((value, v) => TextAt(value, $"{at}.values[{v}]")).ToList();
                    return new Criterion(attribute, op, values);
                }).ToList();
                return new CriteriaGroup(conditions);
            }).ToList();
            return new SampleCriteria(groups);
        }
    }

    private static string OperatorName(CriterionOperator op) =>
        OperatorNames.Where(o => o.Operator == op).Select(o => o.Name).FirstOrDefault()
        ?? throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown criterion operator.");

    private static JsonElement PropertyAt(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new CohortException($"The sample criteria at {path}: expected an object, found {Kind(element)}.");
        return element.TryGetProperty(name, out var value)
            ? value
            : throw new CohortException($"The sample criteria at {path}: '{name}' is missing.");
    }

    private static IEnumerable<JsonElement> ListAt(JsonElement element, string name, string path)
    {
        var array = PropertyAt(element, name, path);
        return array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : throw new CohortException($"The sample criteria at {path}.{name}: expected a list, found {Kind(array)}.");
    }

    private static string TextAt(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new CohortException($"The sample criteria at {path}: expected text, found {Kind(element)}.");

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };
}
