using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Packages;

/// <summary>
/// The one writer of <c>audittool.audit/v1</c>, from the typed package records: a whole package (the demo's history), or
/// part by part as an export streams an audit out of the database (a return at a time, so a large audit is never held
/// whole). Answers and evidence are written in the order of their question keys, so a package reads the same however
/// it was made.
/// </summary>
public static class AuditPackageWriter
{
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A whole package (without figures: an import computes them).</summary>
    public static byte[] Write(AuditPackage package)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            var types = Types(package.Template);
            w.WriteStartObject();
            WriteHead(w, package.Audit, package.Template);
            WriteAll(w, "agencies", package.Agencies, WriteAgency);
            WriteAll(w, "cases", package.Cases, WriteCase);
            WriteAll(w, "returns", package.Returns, (x, r) => WriteReturn(x, r, types));
            WriteAll(w, "moderation", package.Moderation, WriteModeration);
            WriteAll(w, "findings", package.Findings, WriteFinding);
            WriteAll(w, "actions", package.Actions, WriteAction);
            if (package.Concerns.Count > 0)
            {
                WriteAll(w, "concerns", package.Concerns, WriteConcern);
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static IReadOnlyDictionary<string, QuestionType> Types(TemplateDefinition template) =>
        template.Questions.GroupBy(q => q.Key).ToDictionary(g => g.Key, g => g.First().Type);

    /// <summary>The format, the audit and its template: what comes before the lists.</summary>
    public static void WriteHead(Utf8JsonWriter w, PackageAudit audit, TemplateDefinition template)
    {
        w.WriteString("format", AuditPackage.Format);
        w.WriteStartObject("audit");
        w.WriteString("title", audit.Title);
        w.WriteString("kind", audit.Kind);
        w.WriteString("purpose", audit.Purpose);
        w.WriteString("sampleCriteria", audit.SampleCriteria);
        w.WriteStartObject("thresholds");
        w.WriteNumber("strength", audit.Thresholds.Strength);
        w.WriteNumber("development", audit.Thresholds.Development);
        w.WriteNumber("minimumCount", audit.Thresholds.MinimumCount);
        w.WriteNumber("reliability", audit.Thresholds.Reliability);
        w.WriteEndObject();
        if (audit.BaselineTitle is null)
        {
            w.WriteNull("baselineTitle");
        }
        else
        {
            w.WriteString("baselineTitle", audit.BaselineTitle);
        }

        Optional(w, "status", audit.Status);
        Optional(w, "deadline", audit.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        // When it was published, so that an audit moved to another instance keeps its place in the trends there.
        Optional(w, "published", audit.PublishedUtc is { } published && audit.Status is AuditStatuses.Published or AuditStatuses.Closed
            ? AuditPackageService.Moment(published) : null);
        if (audit.SampleSeed is { } seed)
        {
            w.WriteNumber("sampleSeed", seed);
        }

        if (audit.SampleSize is { } size)
        {
            w.WriteNumber("sampleSize", size);
        }

        if (audit.CohortSize is { } cohort)
        {
            w.WriteNumber("cohortSize", cohort);
        }

        if (audit.SampleCriteriaJson is { } rules)
        {
            w.WritePropertyName("sampleCriteriaRules");
            using var doc = JsonDocument.Parse(rules);
            doc.WriteTo(w);
        }

        w.WriteEndObject();
        w.WritePropertyName("template");
        TemplateJson.Write(w, template);
    }

    public static void WriteAll<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            write(w, item);
        }

        w.WriteEndArray();
    }

    public static void WriteAgency(Utf8JsonWriter w, PackageAgency a)
    {
        w.WriteStartObject();
        w.WriteString("key", a.Key);
        w.WriteString("name", a.Name);
        w.WriteString("kind", a.Kind);
        w.WriteEndObject();
    }

    public static void WriteCase(Utf8JsonWriter w, PackageCase c)
    {
        w.WriteStartObject();
        w.WriteString("ref", c.Ref);
        w.WriteStartObject("attributes");
        foreach (var (name, value) in c.Attributes)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A return: answers are a string, or a list of strings for multichoice; numbers as invariant text.</summary>
    public static void WriteReturn(Utf8JsonWriter w, PackageReturn r, IReadOnlyDictionary<string, QuestionType> types)
    {
        w.WriteStartObject();
        w.WriteString("case", r.Case);
        w.WriteString("agency", r.Agency);
        w.WriteString("status", r.Status);
        Optional(w, "returnedComment", r.ReturnedComment);
        w.WriteStartObject("answers");
        foreach (var (key, value) in r.Answers.Where(a => a.Value is not null).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            WriteAnswer(w, types.GetValueOrDefault(key, QuestionType.Text), value!);
        }

        w.WriteEndObject();
        w.WriteStartObject("evidence");
        foreach (var (key, note) in r.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, note);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteModeration(Utf8JsonWriter w, PackageModeration m)
    {
        w.WriteStartObject();
        w.WriteString("case", m.Case);
        w.WriteString("question", m.Question);
        w.WriteString("value", m.Value);
        w.WriteString("rationale", m.Rationale);
        w.WriteEndObject();
    }

    public static void WriteFinding(Utf8JsonWriter w, PackageFinding f)
    {
        w.WriteStartObject();
        w.WriteString("kind", f.Kind);
        w.WriteString("title", f.Title);
        w.WriteString("narrative", f.Narrative);
        Strings(w, "questions", f.Questions);
        Strings(w, "themes", f.Themes);
        w.WriteEndObject();
    }

    public static void WriteAction(Utf8JsonWriter w, PackageAction a)
    {
        w.WriteStartObject();
        w.WriteString("description", a.Description);
        Optional(w, "ownerAgency", a.OwnerAgency);
        Optional(w, "due", a.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteString("status", a.Status);
        if (a.Finding is { } finding)
        {
            w.WriteNumber("finding", finding);
        }

        w.WriteEndObject();
    }

    public static void WriteConcern(Utf8JsonWriter w, PackagedConcern c)
    {
        w.WriteStartObject();
        w.WriteString("case", c.CaseRef);
        Optional(w, "raisedAgency", c.RaisedAgencyKey);
        w.WriteString("description", c.Description);
        w.WriteString("told", c.Told);
        w.WriteString("state", c.State);
        w.WriteString("raisedBy", c.RaisedByName);
        w.WriteString("raisedUtc", AuditPackageService.Moment(c.RaisedUtc));
        Optional(w, "acknowledgedBy", c.AcknowledgedByName);
        Optional(w, "acknowledgedUtc", c.AcknowledgedUtc is { } ack ? AuditPackageService.Moment(ack) : null);
        Optional(w, "action", c.ActionTaken);
        Optional(w, "actionBy", c.ActionByName);
        Optional(w, "actionUtc", c.ActionUtc is { } done ? AuditPackageService.Moment(done) : null);
        Optional(w, "closedBy", c.ClosedByName);
        Optional(w, "closedUtc", c.ClosedUtc is { } closed ? AuditPackageService.Moment(closed) : null);
        w.WriteEndObject();
    }

    private static void WriteAnswer(Utf8JsonWriter w, QuestionType type, object value)
    {
        switch (value)
        {
            case IEnumerable<string> many when value is not string:
                w.WriteStartArray();
                foreach (var v in many)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                break;
            case string s when type == QuestionType.Number && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case string s when type == QuestionType.Text:
                w.WriteStringValue(Answers.Lines(s));
                break;
            default:
                w.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
