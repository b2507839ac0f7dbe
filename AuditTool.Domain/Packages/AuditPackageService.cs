using System.Globalization;
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

        await using var w = new Utf8JsonWriter(output, AuditPackageWriter.Options);
        w.WriteStartObject();
        AuditPackageWriter.WriteHead(w, new PackageAudit(audit.Title, audit.Kind, audit.Purpose, audit.SampleCriteriaText, audit.Thresholds,
            baseline?.Title, audit.Status, audit.Deadline, audit.SampleSeed, audit.SampleSize, audit.CohortSize, audit.SampleCriteriaJson)
        {
            PublishedUtc = audit.PublishedUtc,
        }, template);
        AuditPackageWriter.WriteAll(w, "agencies", agencyIds.Select(id => allAgencies[id]).Select(a => new PackageAgency(a.Key, a.Name, a.Kind)),
            AuditPackageWriter.WriteAgency);
        AuditPackageWriter.WriteAll(w, "cases", cases.Select(c => new PackageCase(c.Ref, c.Attributes)), AuditPackageWriter.WriteCase);
        // A return at a time, as typed records, so a large audit is never held whole. Only what the return shows: an
        // answer or note hidden by its condition stays here, and is not moved.
        AuditPackageWriter.WriteAll(w, "returns", returns.Select(r =>
        {
            var own = Answers.Shown(template, allAgencies[r.AgencyId].Kind, answers.GetValueOrDefault(r.Id) ?? []);
            return new PackageReturn(r.CaseRef, allAgencies[r.AgencyId].Key, r.Status,
                own.Where(a => a.Value is not null).ToDictionary(a => a.QuestionKey, a => types[a.QuestionKey] == QuestionType.MultiChoice
                    ? (object?)(Answers.Decode(QuestionType.MultiChoice, a.Value!) as IEnumerable<string> ?? [])
                    : a.Value),
                own.Where(a => Answers.NormaliseEvidence(a.Evidence) is not null).ToDictionary(a => a.QuestionKey, a => Answers.NormaliseEvidence(a.Evidence)!),
                r.ReturnedComment);
        }), (x, r) => AuditPackageWriter.WriteReturn(x, r, types));
        AuditPackageWriter.WriteAll(w, "moderation", await store.GetModerationAsync(auditId), AuditPackageWriter.WriteModeration);
        AuditPackageWriter.WriteAll(w, "findings", await store.GetFindingsAsync(auditId), AuditPackageWriter.WriteFinding);
        AuditPackageWriter.WriteAll(w, "actions", await store.GetActionsAsync(auditId), AuditPackageWriter.WriteAction);
        // Written only when there are concerns, so an audit without any exports the package it always did.
        var concerns = await store.GetConcernsAsync(auditId);
        if (concerns.Count > 0)
        {
            AuditPackageWriter.WriteAll(w, "concerns", concerns, AuditPackageWriter.WriteConcern);
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

}
