using System.Globalization;
using System.Text.Json;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Packages;

/// <summary>
/// Reads an <c>audittool.audit/v1</c> document and checks all of it (shapes, keys, values, conditions) before anything
/// is saved. Every problem names its JSON path; the first 200 are reported.
/// </summary>
public sealed class AuditPackageReader
{
    public const int MaxProblems = 200;

    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public static AuditPackage Read(JsonDocument document)
    {
        var reader = new AuditPackageReader();
        var package = reader.ReadRoot(document.RootElement);
        if (reader._problems.Count > 0 || package is null)
        {
            throw new AuditPackageException(reader._problems);
        }

        return package;
    }

    private AuditPackage? ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Add("$", "expected an object (an audit package).");
            return null;
        }

        var format = Text(root, "$", "format", required: true);
        if (format is not null && format != AuditPackage.Format)
        {
            Add("$.format", $"expected \"{AuditPackage.Format}\", found \"{format}\".");
        }

        var audit = root.TryGetProperty("audit", out var a) ? ReadAudit(a, "$.audit") : Missing<PackageAudit>("$.audit");
        TemplateDefinition? template = null;
        if (!root.TryGetProperty("template", out var t))
        {
            Add("$.template", "missing.");
        }
        else
        {
            try
            {
                template = TemplateJson.Read(t, "$.template");
                foreach (var problem in TemplateValidator.Validate(template))
                {
                    Add("$.template", problem);
                }
            }
            catch (TemplateFormatException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    Add(problem);
                }
            }
        }

        var agencies = List(root, "$", "agencies", ReadAgency);
        var cases = List(root, "$", "cases", ReadCase);
        var agencyKinds = new Dictionary<string, string>();
        foreach (var (agency, i) in agencies.Select((x, i) => (x, i)))
        {
            if (agency is null)
            {
                continue;
            }

            if (!agencyKinds.TryAdd(agency.Key, agency.Kind))
            {
                Add($"$.agencies[{i}].key", $"the agency \"{agency.Key}\" is listed twice.");
            }
        }

        var caseRefs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (c, i) in cases.Select((x, i) => (x, i)))
        {
            if (c is not null && !caseRefs.TryAdd(c.Ref, i))
            {
                Add($"$.cases[{i}].ref", $"duplicate case \"{c.Ref}\" (also $.cases[{caseRefs[c.Ref]}]).");
            }
        }

        var returns = List(root, "$", "returns", (e, p) => ReadReturn(e, p, template, agencyKinds, caseRefs));
        var seen = new Dictionary<(string, string), int>();
        foreach (var (r, i) in returns.Select((x, i) => (x, i)))
        {
            if (r is not null && !seen.TryAdd((r.Case.ToUpperInvariant(), r.Agency), i))
            {
                Add($"$.returns[{i}]", $"a second return for case \"{r.Case}\" from \"{r.Agency}\" (also $.returns[{seen[(r.Case.ToUpperInvariant(), r.Agency)]}]).");
            }
        }

        var moderation = List(root, "$", "moderation", (e, p) => ReadModeration(e, p, template, caseRefs));
        var findings = List(root, "$", "findings", ReadFinding);
        var actions = List(root, "$", "actions", (e, p) => ReadAction(e, p, agencyKinds, findings.Count));
        var concerns = List(root, "$", "concerns", (e, p) => ReadConcern(e, p, agencyKinds, caseRefs));
        CheckFigures(root);
        if (_problems.Count > 0 || audit is null || template is null)
        {
            return null;
        }

        return new AuditPackage(audit, template, agencies!, cases!, returns!, moderation!, findings!, actions!) { Concerns = concerns! };
    }

    private PackageAudit? ReadAudit(JsonElement e, string path)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var title = Text(e, path, "title", required: true) ?? string.Empty;
        if (title.Length > Audit.MaxTitleLength)
        {
            Add($"{path}.title", $"at most {Audit.MaxTitleLength} characters.");
        }

        var kind = Text(e, path, "kind", required: true) ?? AuditKinds.MultiAgency;
        if (!AuditKinds.All.Contains(kind))
        {
            Add($"{path}.kind", $"\"{kind}\" is not a kind of audit ({string.Join(", ", AuditKinds.All)}).");
        }

        var purpose = Text(e, path, "purpose", required: false) ?? string.Empty;
        var criteria = Text(e, path, "sampleCriteria", required: false) ?? string.Empty;
        if (purpose.Length > Audit.MaxTextLength || criteria.Length > Audit.MaxTextLength)
        {
            Add(path, $"the purpose and sample criteria are at most {Audit.MaxTextLength} characters each.");
        }

        var thresholds = Thresholds.Default;
        if (e.TryGetProperty("thresholds", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (IsObject(t, $"{path}.thresholds"))
            {
                thresholds = new Thresholds(
                    Number(t, $"{path}.thresholds", "strength") ?? Thresholds.Default.Strength,
                    Number(t, $"{path}.thresholds", "development") ?? Thresholds.Default.Development,
                    (int)(Number(t, $"{path}.thresholds", "minimumCount") ?? Thresholds.Default.MinimumCount),
                    Number(t, $"{path}.thresholds", "reliability") ?? Thresholds.Default.Reliability);
                foreach (var problem in thresholds.Problems())
                {
                    Add($"{path}.thresholds", problem);
                }
            }
        }

        var baseline = Text(e, path, "baselineTitle", required: false);
        if (baseline is not null && kind != AuditKinds.FollowUp)
        {
            Add($"{path}.baselineTitle", "only a follow-up audit names a baseline.");
        }

        var status = Text(e, path, "status", required: false);
        if (status is not null && !AuditStatuses.All.Contains(status))
        {
            Add($"{path}.status", $"\"{status}\" is not an audit status ({string.Join(", ", AuditStatuses.All)}).");
        }

        var deadline = Date(e, path, "deadline");
        DateTimeOffset? published = null;
        if (Text(e, path, "published", required: false) is { } publishedText)
        {
            if (DateTimeOffset.TryParse(publishedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                published = at;
            }
            else
            {
                Add($"{path}.published", "expected a UTC time as 2026-12-24T15:00:00Z.");
            }

            if (status is not (AuditStatuses.Published or AuditStatuses.Closed))
            {
                Add($"{path}.published", "only a published or closed audit has a time of publication.");
            }
        }

        var seed = Number(e, path, "sampleSeed");
        var size = Number(e, path, "sampleSize");
        var cohort = Number(e, path, "cohortSize");
        string? criteriaJson = null;
        if (e.TryGetProperty("sampleCriteriaRules", out var rules) && rules.ValueKind != JsonValueKind.Null)
        {
            criteriaJson = rules.GetRawText();
        }

        return new PackageAudit(title, kind, purpose, criteria, thresholds, baseline, status, deadline, (long?)seed, (int?)size,
            (int?)cohort, criteriaJson) { PublishedUtc = published };
    }

    /// <summary>
    /// The figures an export writes are computed from the returns and moderation, and an import computes them again:
    /// their values are not read. Their shape is checked, so that a file that is not a package is not taken for one.
    /// </summary>
    private void CheckFigures(JsonElement root)
    {
        if (!root.TryGetProperty("figures", out var figures) || figures.ValueKind == JsonValueKind.Null || !IsObject(figures, "$.figures"))
        {
            return;
        }

        if (figures.TryGetProperty("reliability", out var rows) && rows.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            Add("$.figures.reliability", "expected a list.");
        }
    }

    private PackageAgency? ReadAgency(JsonElement e, string path)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var key = Text(e, path, "key", required: true) ?? string.Empty;
        if (key.Length > 0 && !Agency.IsValidKey(key))
        {
            Add($"{path}.key", $"\"{key}\" must be lowercase letters, digits and hyphens.");
        }

        var name = Text(e, path, "name", required: true) ?? string.Empty;
        if (name.Length > Agency.MaxNameLength)
        {
            Add($"{path}.name", $"at most {Agency.MaxNameLength} characters.");
        }

        var kind = Text(e, path, "kind", required: true) ?? string.Empty;
        if (kind.Length > 0 && !AgencyKinds.IsKnown(kind))
        {
            Add($"{path}.kind", $"\"{kind}\" is not an agency kind ({string.Join(", ", AgencyKinds.All)}).");
        }

        return new PackageAgency(key, name, kind);
    }

    private PackageCase? ReadCase(JsonElement e, string path)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var reference = Text(e, path, "ref", required: true) ?? string.Empty;
        if (reference.Length > 0 && AuditPlanningService.CheckReference(reference) is { } problem)
        {
            Add($"{path}.ref", problem);
        }

        var attributes = new Dictionary<string, string>();
        if (e.TryGetProperty("attributes", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind != JsonValueKind.Object)
            {
                Add($"{path}.attributes", "expected an object of attribute names and values.");
            }
            else
            {
                foreach (var p in a.EnumerateObject())
                {
                    attributes[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!,
                        JsonValueKind.Number => p.Value.GetRawText(),
                        JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                        JsonValueKind.Null => string.Empty,
                        _ => Invalid($"{path}.attributes.{p.Name}", "expected text or a number."),
                    };
                }
            }
        }

        return new PackageCase(reference, attributes);
    }

    private PackageReturn? ReadReturn(JsonElement e, string path, TemplateDefinition? template, Dictionary<string, string> agencyKinds,
        Dictionary<string, int> caseRefs)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var caseRef = Text(e, path, "case", required: true) ?? string.Empty;
        if (caseRef.Length > 0 && !caseRefs.ContainsKey(caseRef))
        {
            Add($"{path}.case", $"\"{caseRef}\" is not one of the package's cases.");
        }

        var agency = Text(e, path, "agency", required: true) ?? string.Empty;
        if (agency.Length > 0 && !agencyKinds.ContainsKey(agency))
        {
            Add($"{path}.agency", $"\"{agency}\" is not one of the package's agencies.");
        }

        var status = Text(e, path, "status", required: false) ?? ReturnStatuses.NotStarted;
        if (!ReturnStatuses.All.Contains(status))
        {
            Add($"{path}.status", $"\"{status}\" is not a return status ({string.Join(", ", ReturnStatuses.All)}).");
        }

        var comment = Text(e, path, "returnedComment", required: false);
        var answers = new Dictionary<string, object?>();
        var questions = template?.Questions.ToDictionary(q => q.Key) ?? [];
        if (e.TryGetProperty("answers", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind != JsonValueKind.Object)
            {
                Add($"{path}.answers", "expected an object of question keys and answers.");
            }
            else
            {
                foreach (var p in a.EnumerateObject())
                {
                    var at = $"{path}.answers.{p.Name}";
                    if (template is null)
                    {
                        continue;
                    }

                    if (!questions.TryGetValue(p.Name, out var question))
                    {
                        Add(at, $"the template has no question \"{p.Name}\".");
                        continue;
                    }

                    var value = Answers.Normalise(question, AnswerValue(p.Value, question, at));
                    if (value is not null && Answers.Check(template, question, value) is { } problem)
                    {
                        Add(at, problem);
                        continue;
                    }

                    answers[p.Name] = value;
                }
            }
        }

        if (template is not null && agencyKinds.TryGetValue(agency, out var kind))
        {
            foreach (var (key, _) in answers.Where(x => x.Value is not null))
            {
                if (!Visibility.IsShown(template, questions[key], kind, answers))
                {
                    Add($"{path}.answers.{key}", $"this question is not shown to a {AgencyKinds.Label(kind).ToLowerInvariant()} return with these answers, so it cannot be answered.");
                }
            }

            if (status == ReturnStatuses.Submitted)
            {
                foreach (var missing in Answers.Missing(template, kind, answers))
                {
                    Add($"{path}.answers", $"the return is submitted but the required question \"{missing.Key}\" is not answered.");
                }
            }
        }

        var evidence = new Dictionary<string, string>();
        if (e.TryGetProperty("evidence", out var ev) && ev.ValueKind != JsonValueKind.Null)
        {
            if (ev.ValueKind != JsonValueKind.Object)
            {
                Add($"{path}.evidence", "expected an object of question keys and notes.");
            }
            else
            {
                foreach (var p in ev.EnumerateObject())
                {
                    var at = $"{path}.evidence.{p.Name}";
                    if (template is not null && !questions.ContainsKey(p.Name))
                    {
                        Add(at, $"the template has no question \"{p.Name}\".");
                    }
                    else if (p.Value.ValueKind != JsonValueKind.String)
                    {
                        Add(at, "expected text.");
                    }
                    else if (p.Value.GetString()!.Length > Answers.MaxEvidenceLength)
                    {
                        Add(at, $"an evidence note is at most {Answers.MaxEvidenceLength:N0} characters.");
                    }
                    else if (template is not null && agencyKinds.TryGetValue(agency, out var kindOf) &&
                             !Visibility.IsShown(template, questions[p.Name], kindOf, answers))
                    {
                        Add(at, $"this question is not shown to a {AgencyKinds.Label(kindOf).ToLowerInvariant()} return with these answers, so it cannot have evidence.");
                    }
                    else if (Answers.NormaliseEvidence(p.Value.GetString()) is { } note)
                    {
                        evidence[p.Name] = note;
                    }
                }
            }
        }

        return new PackageReturn(caseRef, agency, status, answers.Where(x => x.Value is not null).ToDictionary(), evidence, comment);
    }

    private object? AnswerValue(JsonElement value, QuestionDefinition question, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array when question.Type == QuestionType.MultiChoice:
                var list = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        list.Add(item.GetString()!);
                    }
                    else
                    {
                        Add(path, "expected a list of option values (text).");
                        return null;
                    }
                }

                return list.Count == 0 ? null : list;
            case JsonValueKind.Number when question.Type == QuestionType.Number:
                return value.GetDouble().ToString(CultureInfo.InvariantCulture);
            case JsonValueKind.String when question.Type == QuestionType.Number:
                return double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d.ToString(CultureInfo.InvariantCulture)
                    : value.GetString();
            case JsonValueKind.String when question.Type != QuestionType.MultiChoice:
                return value.GetString();
            default:
                Add(path, question.Type switch
                {
                    QuestionType.MultiChoice => "expected a list of option values.",
                    QuestionType.Number => "expected a number.",
                    _ => "expected text.",
                });
                return null;
        }
    }

    private PackageModeration? ReadModeration(JsonElement e, string path, TemplateDefinition? template, Dictionary<string, int> caseRefs)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var caseRef = Text(e, path, "case", required: true) ?? string.Empty;
        if (caseRef.Length > 0 && !caseRefs.ContainsKey(caseRef))
        {
            Add($"{path}.case", $"\"{caseRef}\" is not one of the package's cases.");
        }

        var key = Text(e, path, "question", required: true) ?? string.Empty;
        var value = Text(e, path, "value", required: true) ?? string.Empty;
        var rationale = Text(e, path, "rationale", required: false) ?? string.Empty;
        if (template is not null && key.Length > 0)
        {
            var question = template.Questions.FirstOrDefault(q => q.Key == key);
            if (question is null)
            {
                Add($"{path}.question", $"the template has no question \"{key}\".");
            }
            else if (!question.Type.HasOptions() || question.Type == QuestionType.MultiChoice)
            {
                Add($"{path}.question", $"\"{key}\" is not a graded or single-choice question, so it cannot be moderated.");
            }
            else if (Answers.Check(template, question, value) is { } problem)
            {
                Add($"{path}.value", problem);
            }
        }

        return new PackageModeration(caseRef, key, value, rationale);
    }

    private PackageFinding? ReadFinding(JsonElement e, string path)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var kind = Text(e, path, "kind", required: true) ?? "strength";
        if (kind is not ("strength" or "development"))
        {
            Add($"{path}.kind", "expected \"strength\" or \"development\".");
        }

        return new PackageFinding(kind, Text(e, path, "title", required: true) ?? string.Empty,
            Text(e, path, "narrative", required: false) ?? string.Empty, Strings(e, path, "questions"), Strings(e, path, "themes"));
    }

    private PackageAction? ReadAction(JsonElement e, string path, Dictionary<string, string> agencyKinds, int findings)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var owner = Text(e, path, "ownerAgency", required: false);
        if (owner is not null && !agencyKinds.ContainsKey(owner))
        {
            Add($"{path}.ownerAgency", $"\"{owner}\" is not one of the package's agencies.");
        }

        var status = Text(e, path, "status", required: false) ?? "open";
        if (status is not ("open" or "in-progress" or "done"))
        {
            Add($"{path}.status", "expected \"open\", \"in-progress\" or \"done\".");
        }

        var finding = Number(e, path, "finding");
        if (finding is { } f && (f < 0 || f >= findings || f != Math.Floor(f)))
        {
            Add($"{path}.finding", $"expected the index of one of the package's {findings} findings.");
        }

        return new PackageAction(Text(e, path, "description", required: true) ?? string.Empty, owner, Date(e, path, "due"), status, (int?)finding);
    }

    private Concerns.PackagedConcern? ReadConcern(JsonElement e, string path, Dictionary<string, string> agencyKinds, Dictionary<string, int> caseRefs)
    {
        if (!IsObject(e, path))
        {
            return null;
        }

        var caseRef = Text(e, path, "case", required: true) ?? string.Empty;
        if (caseRef.Length > 0 && !caseRefs.ContainsKey(caseRef))
        {
            Add($"{path}.case", $"\"{caseRef}\" is not one of the package's cases.");
        }

        var agency = Text(e, path, "raisedAgency", required: false);
        if (agency is not null && !agencyKinds.ContainsKey(agency))
        {
            Add($"{path}.raisedAgency", $"\"{agency}\" is not one of the package's agencies.");
        }

        var state = Text(e, path, "state", required: true) ?? Concerns.ConcernStates.Raised;
        if (!Concerns.ConcernStates.All.Contains(state))
        {
            Add($"{path}.state", $"expected one of {string.Join(", ", Concerns.ConcernStates.All.Select(s => $"\"{s}\""))}.");
        }

        var description = Text(e, path, "description", required: true) ?? string.Empty;
        if (description.Length > Concerns.ConcernService.MaxDescriptionLength)
        {
            Add($"{path}.description", $"at most {Concerns.ConcernService.MaxDescriptionLength:N0} characters.");
        }

        DateTimeOffset? Moment(string name, bool required)
        {
            var text = Text(e, path, name, required);
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at;
            }

            Add($"{path}.{name}", "expected a UTC time as 2026-12-24T15:00:00Z.");
            return null;
        }

        return new Concerns.PackagedConcern(caseRef, agency, description, Text(e, path, "told", required: false) ?? string.Empty, state,
            Text(e, path, "raisedBy", required: true) ?? string.Empty, Moment("raisedUtc", required: true) ?? DateTimeOffset.UnixEpoch,
            Text(e, path, "acknowledgedBy", required: false), Moment("acknowledgedUtc", required: false),
            Text(e, path, "action", required: false), Text(e, path, "actionBy", required: false), Moment("actionUtc", required: false),
            Text(e, path, "closedBy", required: false), Moment("closedUtc", required: false));
    }

    private List<T?> List<T>(JsonElement parent, string path, string name, Func<JsonElement, string, T?> read)
    {
        var list = new List<T?>();
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Add($"{path}.{name}", "expected a list.");
            return list;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(read(item, $"{path}.{name}[{i++}]"));
            if (_problems.Count >= MaxProblems)
            {
                break;
            }
        }

        return list;
    }

    private string? Text(JsonElement e, string path, string name, bool required)
    {
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add($"{path}.{name}", "missing.");
            }

            return null;
        }

        if (p.ValueKind != JsonValueKind.String)
        {
            Add($"{path}.{name}", "expected text.");
            return null;
        }

        var s = p.GetString()!;
        if (required && string.IsNullOrWhiteSpace(s))
        {
            Add($"{path}.{name}", "empty.");
        }

        return s;
    }

    private double? Number(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (p.ValueKind != JsonValueKind.Number)
        {
            Add($"{path}.{name}", "expected a number.");
            return null;
        }

        return p.GetDouble();
    }

    private DateOnly? Date(JsonElement e, string path, string name)
    {
        var text = Text(e, path, name, required: false);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Add($"{path}.{name}", $"expected a date written yyyy-mm-dd, found \"{text}\".");
        return null;
    }

    private IReadOnlyList<string> Strings(JsonElement e, string path, string name)
    {
        var list = new List<string>();
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (p.ValueKind != JsonValueKind.Array || p.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            Add($"{path}.{name}", "expected a list of text values.");
            return list;
        }

        list.AddRange(p.EnumerateArray().Select(x => x.GetString()!));
        return list;
    }

    private bool IsObject(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Add(path, "expected an object.");
        return false;
    }

    private T? Missing<T>(string path)
    {
        Add(path, "missing.");
        return default;
    }

    private string Invalid(string path, string problem)
    {
        Add(path, problem);
        return string.Empty;
    }

    private void Add(string path, string problem) => Add($"{path}: {problem}");

    private void Add(string problem)
    {
        if (_problems.Count < MaxProblems)
        {
            _problems.Add(problem);
        }
    }
}
