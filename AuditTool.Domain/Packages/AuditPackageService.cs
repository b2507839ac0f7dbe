using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Packages;

/// <summary>Exports an audit as one <c>audittool.audit/v1</c> document and imports one, all or nothing.</summary>
public sealed class AuditPackageService(
    IAuditRepository audits,
    IAuditPackageStore store,
    ITemplateRepository templates,
    IAgencyRepository agencies,
    IFiguresSource figures,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock,
    DataProtection.IDisclosureLog? disclosures = null)
{
    public const long MaxPackageBytes = 512L * 1024 * 1024;

    /// <summary>How deeply a package may nest (a package with its template needs about 10 levels).</summary>
    public const int MaxDepth = 64;

    /// <param name="asOf">
    /// When the audit's own rows (its creation, submitted returns, moderation, findings, publication) are dated: a history
    /// seeded as it happened (the demo's earlier audits); never later than now. The import's log line is dated now.
    /// </param>
    public async Task<long> ImportAsync(Actor actor, Stream json, string source, DateTimeOffset? asOf = null)
    {
        var user = await access.RequireAsync(actor, "packages.import", Role.Scrutineer);
        if (asOf > clock.GetUtcNow())
        {
            throw new DomainValidationException("An import cannot be dated in the future.");
        }

        AuditPackage package;
        try
        {
            using var document = await JsonDocument.ParseAsync(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            package = AuditPackageReader.Read(document);
        }
        catch (JsonException ex)
        {
            throw new AuditPackageException([JsonProblem.Describe(ex, MaxDepth)]);
        }

        var problems = new List<string>();
        var existing = (await agencies.GetAllAsync()).ToDictionary(a => a.Key);
        foreach (var (agency, i) in package.Agencies.Select((a, i) => (a, i)))
        {
            if (existing.TryGetValue(agency.Key, out var here) && here.Kind != agency.Kind)
            {
                problems.Add($"$.agencies[{i}].kind: the agency \"{agency.Key}\" here is {AgencyKinds.Label(here.Kind).ToLowerInvariant()}, not {AgencyKinds.Label(agency.Kind).ToLowerInvariant()}.");
            }
        }

        if (await templates.GetVersionIdAsync(package.Template.Key, package.Template.Version) is { } versionId)
        {
            var stored = await templates.GetVersionAsync(versionId);
            var info = await templates.GetVersionInfoAsync(versionId);
            if (info?.Status != TemplateStatus.Published || stored is null || !TemplateJson.SameContent(stored, package.Template))
            {
                problems.Add($"$.template.version: version {package.Template.Version} of \"{package.Template.Key}\" already exists here with different content.");
            }
        }

        if (package.Audit.PublishedUtc > clock.GetUtcNow())
        {
            problems.Add("$.audit.published: the time of publication is in the future.");
        }

        long? baselineId = null;
        if (package.Audit.BaselineTitle is { } baselineTitle)
        {
            var matches = await store.FindAuditsByTitleAsync(baselineTitle);
            if (matches.Count != 1)
            {
                problems.Add($"$.audit.baselineTitle: {(matches.Count == 0 ? "no audit" : "more than one audit")} here is titled \"{baselineTitle}\"; import the baseline first.");
            }
            else
            {
                baselineId = matches[0];
            }
        }

        if (problems.Count > 0)
        {
            throw new AuditPackageException(problems);
        }

        var id = await store.ImportAsync(package, baselineId, user?.Id, asOf ?? clock.GetUtcNow());
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), user?.Id, actor.UserName, "import", "audit", id.ToString(), null,
            $"{source}: {package.Cases.Count} cases, {package.Returns.Count} returns, {package.Returns.Sum(r => r.Answers.Count)} answers"));
        return id;
    }

    /// <summary>A moment as the package writes it: UTC, to the tenth of a microsecond, so an import writes it back the same.</summary>
    public static string Moment(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public async Task ExportAsync(Actor actor, long auditId, Stream output)
    {
        var user = await access.RequireAsync(actor, "packages.export", Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException("The audit's template version is missing.");
        var allAgencies = (await agencies.GetAllAsync()).ToDictionary(a => a.Id);
        var returns = await audits.GetReturnsAsync(auditId);
        var participating = await audits.GetAgencyIdsAsync(auditId);
        var agencyIds = participating.Concat(returns.Select(r => r.AgencyId)).Distinct().Order().ToList();
        var cases = await audits.GetCasesAsync(auditId);
        var answers = await audits.GetAnswersByAuditAsync(auditId);
        var baseline = audit.BaselineAuditId is { } b ? await audits.GetByIdAsync(b) : null;
        var types = template.Questions.ToDictionary(q => q.Key, q => q.Type);

        await using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("format", AuditPackage.Format);
        w.WriteStartObject("audit");
        w.WriteString("title", audit.Title);
        w.WriteString("kind", audit.Kind);
        w.WriteString("purpose", audit.Purpose);
        w.WriteString("sampleCriteria", audit.SampleCriteriaText);
        w.WriteStartObject("thresholds");
        w.WriteNumber("strength", audit.Thresholds.Strength);
        w.WriteNumber("development", audit.Thresholds.Development);
        w.WriteNumber("minimumCount", audit.Thresholds.MinimumCount);
        w.WriteNumber("reliability", audit.Thresholds.Reliability);
        w.WriteEndObject();
        if (baseline is null)
        {
            w.WriteNull("baselineTitle");
        }
        else
        {
            w.WriteString("baselineTitle", baseline.Title);
        }

        w.WriteString("status", audit.Status);
        WriteOptional(w, "deadline", audit.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        // When it was published, so that an audit moved to another instance keeps its place in the trends there.
        WriteOptional(w, "published", audit.PublishedUtc is { } published && audit.Status is AuditStatuses.Published or AuditStatuses.Closed
            ? Moment(published) : null);
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

        w.WriteStartArray("agencies");
        foreach (var id in agencyIds)
        {
            var a = allAgencies[id];
            w.WriteStartObject();
            w.WriteString("key", a.Key);
            w.WriteString("name", a.Name);
            w.WriteString("kind", a.Kind);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("cases");
        foreach (var c in cases)
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

        w.WriteEndArray();
        w.WriteStartArray("returns");
        foreach (var r in returns)
        {
            w.WriteStartObject();
            w.WriteString("case", r.CaseRef);
            w.WriteString("agency", allAgencies[r.AgencyId].Key);
            w.WriteString("status", r.Status);
            WriteOptional(w, "returnedComment", r.ReturnedComment);
            // Only what the return shows: an answer or note hidden by its condition stays here, and is not moved.
            var own = Answers.Shown(template, allAgencies[r.AgencyId].Kind, answers.GetValueOrDefault(r.Id) ?? []);
            w.WriteStartObject("answers");
            foreach (var a in own.Where(a => a.Value is not null).OrderBy(a => a.QuestionKey, StringComparer.Ordinal))
            {
                w.WritePropertyName(a.QuestionKey);
                WriteAnswer(w, types[a.QuestionKey], a.Value!);
            }

            w.WriteEndObject();
            w.WriteStartObject("evidence");
            foreach (var a in own.Where(a => Answers.NormaliseEvidence(a.Evidence) is not null).OrderBy(a => a.QuestionKey, StringComparer.Ordinal))
            {
                w.WriteString(a.QuestionKey, Answers.NormaliseEvidence(a.Evidence));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("moderation");
        foreach (var m in await store.GetModerationAsync(auditId))
        {
            w.WriteStartObject();
            w.WriteString("case", m.Case);
            w.WriteString("question", m.Question);
            w.WriteString("value", m.Value);
            w.WriteString("rationale", m.Rationale);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in await store.GetFindingsAsync(auditId))
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("title", f.Title);
            w.WriteString("narrative", f.Narrative);
            WriteStrings(w, "questions", f.Questions);
            WriteStrings(w, "themes", f.Themes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("actions");
        foreach (var a in await store.GetActionsAsync(auditId))
        {
            w.WriteStartObject();
            w.WriteString("description", a.Description);
            WriteOptional(w, "ownerAgency", a.OwnerAgency);
            WriteOptional(w, "due", a.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("status", a.Status);
            if (a.Finding is { } finding)
            {
                w.WriteNumber("finding", finding);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        // Written only when there are concerns, so an audit without any exports the package it always did.
        var concerns = await store.GetConcernsAsync(auditId);
        if (concerns.Count > 0)
        {
            w.WriteStartArray("concerns");
        }

        foreach (var c in concerns)
        {
            w.WriteStartObject();
            w.WriteString("case", c.CaseRef);
            WriteOptional(w, "raisedAgency", c.RaisedAgencyKey);
            w.WriteString("description", c.Description);
            w.WriteString("told", c.Told);
            w.WriteString("state", c.State);
            w.WriteString("raisedBy", c.RaisedByName);
            w.WriteString("raisedUtc", Moment(c.RaisedUtc));
            WriteOptional(w, "acknowledgedBy", c.AcknowledgedByName);
            WriteOptional(w, "acknowledgedUtc", c.AcknowledgedUtc is { } ack ? Moment(ack) : null);
            WriteOptional(w, "action", c.ActionTaken);
            WriteOptional(w, "actionBy", c.ActionByName);
            WriteOptional(w, "actionUtc", c.ActionUtc is { } done ? Moment(done) : null);
            WriteOptional(w, "closedBy", c.ClosedByName);
            WriteOptional(w, "closedUtc", c.ClosedUtc is { } closed ? Moment(closed) : null);
            w.WriteEndObject();
        }

        if (concerns.Count > 0)
        {
            w.WriteEndArray();
        }

        await WriteFiguresAsync(w, audit, allAgencies);
        w.WriteEndObject();
        await w.FlushAsync();
        if (disclosures is not null)
        {
            // The package carries every case's answers and evidence: each case is in the disclosure record.
            await disclosures.RecordAsync(actor, cases.Select(c => new DataProtection.DisclosureSubject(auditId, c.Ref, null)).ToList(),
                DataProtection.DisclosureKinds.Export, $"audit package of “{audit.Title}”");
        }
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), user?.Id, actor.UserName, "export", "audit", auditId.ToString(), null,
            $"audit package: {cases.Count} cases, {returns.Count} returns"));
    }

    /// <summary>
    /// The figures computed from the package's own returns and moderation, for whoever reads the file without the tool:
    /// the reliability of grades, one entry per figure (as the Excel export's Reliability sheet). An import recomputes
    /// them, so a package exported again carries the same figures.
    /// </summary>
    private async Task WriteFiguresAsync(Utf8JsonWriter w, Audit audit, IReadOnlyDictionary<long, Agency> allAgencies)
    {
        var input = await figures.LoadAsync(audit.Id) ?? throw new DomainValidationException("That audit does not exist.");
        var computed = AuditAggregator.Aggregate(input.Template, input.Parts, input.Moderation, FiguresService.ThresholdsOf(audit), reliability: true);
        string KeyOf(long id) => allAgencies.TryGetValue(id, out var a) ? a.Key : id.ToString(CultureInfo.InvariantCulture);

        w.WriteStartObject("figures");
        w.WriteStartArray("reliability");
        foreach (var q in computed.Reliability ?? [])
        {
            WriteFigure(w, q.QuestionKey, PackageMeasures.Alpha, ReliabilityMeasures.AllAgencies, q.Alpha);
            WriteFigure(w, q.QuestionKey, PackageMeasures.Kappa, ReliabilityMeasures.AllAgencies, q.Kappa);
            foreach (var (key, kappa) in q.KappaByAgency.Select(a => (KeyOf(a.AgencyId), a.Kappa)).OrderBy(a => a.Item1, StringComparer.Ordinal))
            {
                WriteFigure(w, q.QuestionKey, PackageMeasures.Kappa, key, kappa);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFigure(Utf8JsonWriter w, string question, string measure, string agency, ReliabilityFigure figure)
    {
        w.WriteStartObject();
        w.WriteString("question", question);
        w.WriteString("measure", measure);
        w.WriteString("agency", agency);
        w.WriteNumber("units", figure.Units);
        w.WriteString("state", figure.State switch
        {
            ReliabilityState.Figure => "figure",
            ReliabilityState.TooFew => "too-few",
            _ => "no-variation",
        });
        foreach (var (name, value) in new[] { ("value", figure.Value), ("ciLow", figure.Low), ("ciHigh", figure.High) })
        {
            if (value is { } v)
            {
                w.WriteNumber(name, Math.Round(v, 6));
            }
            else
            {
                w.WriteNull(name);
            }
        }

        w.WriteBoolean("flagged", figure.Flagged);
        w.WriteEndObject();
    }

    private static void WriteAnswer(Utf8JsonWriter w, QuestionType type, string stored)
    {
        switch (type)
        {
            case QuestionType.MultiChoice:
                w.WriteStartArray();
                foreach (var v in Answers.Decode(type, stored) as IEnumerable<string> ?? [])
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                break;
            case QuestionType.Number when double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case QuestionType.Text:
                w.WriteStringValue(Answers.Lines(stored));
                break;
            default:
                w.WriteStringValue(stored);
                break;
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
