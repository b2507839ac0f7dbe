using System.Text.Json;
using System.Text.RegularExpressions;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Sampling;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Audits;

public sealed record ProgressCell(long ReturnId, string Status, long? AuditorUserId, string? ReturnedComment);

public sealed record ProgressRow(AuditCase Case, IReadOnlyDictionary<long, ProgressCell> ByAgency);

/// <summary>The case x agency grid a scrutineer watches while returns come in.</summary>
public sealed record AuditProgress(Audit Audit, IReadOnlyList<Agency> Agencies, IReadOnlyList<ProgressRow> Rows)
{
    public int Returns => Rows.Sum(r => r.ByAgency.Count);

    public int Submitted => Rows.Sum(r => r.ByAgency.Values.Count(c => c.Status == ReturnStatuses.Submitted));

    public IReadOnlyList<(string CaseRef, string Agency, string Status)> Unfinished =>
        Rows.SelectMany(r => r.ByAgency
                .Where(c => c.Value.Status != ReturnStatuses.Submitted)
                .Select(c => (r.Case.Ref, Agencies.FirstOrDefault(a => a.Id == c.Key)?.Name ?? "?", c.Value.Status)))
            .ToList();
}

public sealed record CohortPreview(IReadOnlyList<string> Headers, string? GuessedReference, int Rows, IReadOnlyList<IReadOnlyList<string>> FirstRows);

public sealed record SampleDrawn(IReadOnlyList<string> Added, int Matches, int AlreadyInAudit, string Criteria, long Seed);

public sealed record AuditOverview(Audit Audit, string TemplateTitle, int TemplateVersion, IReadOnlyList<Agency> Agencies, string? BaselineTitle);

/// <summary>
/// A scrutineer plans audits: the plan, the participating agencies, the cases (sampled or added by hand), which
/// agencies return on each case, and moving the audit through its cycle.
/// </summary>
public sealed partial class AuditPlanningService(
    IAuditRepository audits,
    ITemplateRepository templates,
    IAgencyRepository agencies,
    IUserRepository users,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    public const int MaxCaseRefLength = 64;

    public async Task<IReadOnlyList<Audit>> ListAsync(Actor actor)
    {
        await RequireAsync(actor, "audits.list");
        return await audits.GetManyAsync();
    }

    public async Task<AuditOverview> GetAsync(Actor actor, long auditId)
    {
        await RequireAsync(actor, "audits.read");
        var audit = await FindAsync(auditId);
        var info = await templates.GetVersionInfoAsync(audit.TemplateVersionId);
        var template = await templates.GetVersionAsync(audit.TemplateVersionId);
        var all = await agencies.GetAllAsync();
        var ids = await audits.GetAgencyIdsAsync(auditId);
        var baseline = audit.BaselineAuditId is { } b ? await audits.GetByIdAsync(b) : null;
        return new AuditOverview(audit, template?.Title ?? "?", info?.Version ?? 0, all.Where(a => ids.Contains(a.Id)).ToList(), baseline?.Title);
    }

    /// <param name="confirmPastDate">The caller has asked the scrutineer and they mean a deadline in the past.</param>
    public async Task<long> CreateAsync(Actor actor, AuditPlan plan, long templateVersionId, IReadOnlyList<long> agencyIds,
        bool confirmPastDate = false)
    {
        var user = await RequireAsync(actor, "audits.create");
        var problems = plan.Problems().ToList();
        var info = await templates.GetVersionInfoAsync(templateVersionId);
        if (info is null || info.Status != TemplateStatus.Published)
        {
            problems.Add("Choose a published template version: audits point at a version that never changes.");
        }
        else if (info.IsRetired)
        {
            problems.Add("That template is retired: choose one in use.");
        }

        problems.AddRange(await CheckAgenciesAsync(agencyIds));
        problems.AddRange(await CheckBaselineAsync(plan, null));
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        PastDates.Check("deadline", plan.Deadline, PastDates.Today(clock), confirmPastDate);
        var now = clock.GetUtcNow();
        var audit = Audit.Create(plan, templateVersionId, user?.Id, now);
        var id = await audits.CreateAsync(audit, agencyIds);
        await WriteLogAsync(actor, "create", id, null, Describe(audit, agencyIds));
        return id;
    }

    /// <param name="confirmPastDate">The caller has asked the scrutineer and they mean a new deadline in the past. A deadline
    /// left as it was is not asked about again.</param>
    public async Task UpdatePlanAsync(Actor actor, long auditId, AuditPlan plan, bool confirmPastDate = false)
    {
        await RequireAsync(actor, "audits.update");
        var audit = await FindAsync(auditId);
        if (audit.Status is not (AuditStatuses.Planning or AuditStatuses.Open))
        {
            throw new DomainValidationException("The plan can be changed only while the audit is being planned or is open.");
        }

        var problems = plan.Problems().ToList();
        problems.AddRange(await CheckBaselineAsync(plan, auditId));
        if (audit.Status == AuditStatuses.Open && plan.Deadline is null)
        {
            problems.Add("An open audit keeps a deadline: auditors were told it when the audit opened.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        if (plan.Deadline != audit.Deadline)
        {
            PastDates.Check("deadline", plan.Deadline, PastDates.Today(clock), confirmPastDate);
        }

        var agencyIds = await audits.GetAgencyIdsAsync(auditId);
        var before = Describe(audit, agencyIds);
        audit.Apply(plan, clock.GetUtcNow());
        await SaveAsync(audit, Entry(actor, "update", auditId, before, Describe(audit, agencyIds)));
    }

    /// <summary>Participating agencies are set while planning; every new case gets a return from each of them.</summary>
    public async Task SetAgenciesAsync(Actor actor, long auditId, IReadOnlyList<long> agencyIds)
    {
        await RequireAsync(actor, "audits.agencies");
        var audit = await FindAsync(auditId);
        if (audit.Status != AuditStatuses.Planning)
        {
            throw new DomainValidationException("Participating agencies are chosen while the audit is being planned; after that, adjust the agencies of each case.");
        }

        var problems = await CheckAgenciesAsync(agencyIds);
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var before = await audits.GetAgencyIdsAsync(auditId);
        await audits.SetAgenciesAsync(auditId, agencyIds);
        await WriteLogAsync(actor, "update-agencies", auditId, JsonSerializer.Serialize(before), JsonSerializer.Serialize(agencyIds));
    }

    /// <summary>Adds a case by hand with a return from every participating agency.</summary>
    public async Task<long> AddCaseAsync(Actor actor, long auditId, string caseRef, IReadOnlyDictionary<string, string>? attributes = null)
    {
        await RequireAsync(actor, "audits.add-case");
        var audit = await FindAsync(auditId);
        RequireCasesEditable(audit);
        var reference = (caseRef ?? string.Empty).Trim();
        if (CheckReference(reference) is { } problem)
        {
            throw new DomainValidationException(problem);
        }

        if ((await audits.GetCasesAsync(auditId)).Any(c => string.Equals(c.Ref, reference, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainValidationException($"The case {reference} is already in this audit: references must be unique.");
        }

        var agencyIds = await audits.GetAgencyIdsAsync(auditId);
        var id = (await audits.AddCasesAsync(auditId, [new NewCase(reference, attributes ?? new Dictionary<string, string>(), CaseSources.Hand)],
            agencyIds, clock.GetUtcNow()))[0];
        await WriteLogAsync(actor, "add-case", auditId, null, reference);
        return id;
    }

    public async Task RemoveCaseAsync(Actor actor, long auditId, long caseId)
    {
        await RequireAsync(actor, "audits.remove-case");
        var audit = await FindAsync(auditId);
        RequireCasesEditable(audit);
        var existing = (await audits.GetCasesAsync(auditId)).FirstOrDefault(c => c.Id == caseId)
            ?? throw new DomainValidationException("That case is not in this audit.");
        if (!await audits.RemoveCaseAsync(auditId, caseId))
        {
            throw new DomainValidationException($"The case {existing.Ref} already has answers, so it cannot be removed: nothing an auditor saved is thrown away.");
        }

        await WriteLogAsync(actor, "remove-case", auditId, existing.Ref, null);
    }

    /// <summary>Which agencies return on one case (a subset of the participating agencies).</summary>
    public async Task SetCaseAgenciesAsync(Actor actor, long auditId, long caseId, IReadOnlyList<long> agencyIds)
    {
        await RequireAsync(actor, "audits.case-agencies");
        var audit = await FindAsync(auditId);
        RequireCasesEditable(audit);
        var participating = await audits.GetAgencyIdsAsync(auditId);
        if (agencyIds.Any(a => !participating.Contains(a)))
        {
            throw new DomainValidationException("A case's returns come from the audit's participating agencies only.");
        }

        var existing = (await audits.GetCasesAsync(auditId)).FirstOrDefault(c => c.Id == caseId)
            ?? throw new DomainValidationException("That case is not in this audit.");
        var before = (await audits.GetReturnsAsync(auditId)).Where(r => r.CaseId == caseId).Select(r => r.AgencyId).ToList();
        var kept = await audits.SetCaseAgenciesAsync(auditId, caseId, agencyIds, clock.GetUtcNow());
        await WriteLogAsync(actor, "update-case-agencies", auditId, $"{existing.Ref}: {JsonSerializer.Serialize(before)}",
            $"{existing.Ref}: {JsonSerializer.Serialize(agencyIds.Concat(kept).Distinct())}");
        if (kept.Count > 0)
        {
            var names = (await agencies.GetAllAsync()).Where(a => kept.Contains(a.Id)).Select(a => a.Name);
            throw new DomainValidationException($"Kept the returns of {string.Join(", ", names)} for {existing.Ref}: they already have answers.");
        }
    }

    /// <summary>Names the auditor of a return (optional); they must be an auditor of the return's agency.</summary>
    public async Task SetAuditorAsync(Actor actor, long returnId, long? userId)
    {
        await RequireAsync(actor, "audits.assign-auditor");
        var ret = await audits.GetReturnAsync(returnId) ?? throw new DomainValidationException("That return does not exist.");
        if (userId is { } id)
        {
            var auditor = await users.GetByIdAsync(id);
            if (auditor is null || auditor.Role != Role.Auditor || auditor.AgencyId != ret.AgencyId || auditor.IsDisabled)
            {
                throw new DomainValidationException("Choose an active auditor of the return's own agency.");
            }
        }

        await audits.SetAuditorAsync(returnId, userId, clock.GetUtcNow());
        await WriteLogAsync(actor, "assign-auditor", ret.AuditId, ret.AuditorUserId?.ToString(), $"return {returnId}: {userId?.ToString() ?? "none"}");
    }

    public async Task<IReadOnlyList<User>> GetAuditorsAsync(Actor actor)
    {
        await RequireAsync(actor, "audits.auditors");
        return (await users.GetAllAsync()).Where(u => u.Role == Role.Auditor && !u.IsDisabled).ToList();
    }

    public async Task<AuditProgress> GetProgressAsync(Actor actor, long auditId)
    {
        await RequireAsync(actor, "audits.progress");
        var audit = await FindAsync(auditId);
        var ids = await audits.GetAgencyIdsAsync(auditId);
        var cases = await audits.GetCasesAsync(auditId);
        var returns = await audits.GetReturnsAsync(auditId);
        var involved = ids.Concat(returns.Select(r => r.AgencyId)).ToHashSet();
        var all = (await agencies.GetAllAsync()).Where(a => involved.Contains(a.Id)).ToList();
        var byCase = returns.ToLookup(r => r.CaseId);
        return new AuditProgress(audit, all, cases.Select(c => new ProgressRow(c,
            byCase[c.Id].ToDictionary(r => r.AgencyId, r => new ProgressCell(r.Id, r.Status, r.AuditorUserId, r.ReturnedComment)))).ToList());
    }

    /// <summary>Opens the audit for returns: auditors see their agency's returns, and are told the deadline, from now on.</summary>
    /// <param name="confirmPastDate">The caller has asked the scrutineer and they mean to open with a deadline already past.</param>
    public async Task OpenAsync(Actor actor, long auditId, bool confirmPastDate = false)
    {
        await RequireAsync(actor, "audits.open");
        var audit = await FindAsync(auditId);
        if (audit.Status == AuditStatuses.Planning)
        {
            var problems = new List<string>();
            if ((await audits.GetReturnsAsync(auditId)).Count == 0)
            {
                problems.Add("Add at least one case with an agency return before opening the audit.");
            }

            if (audit.Deadline is null)
            {
                problems.Add("Set a deadline before opening the audit: auditors are told it when the audit opens.");
            }

            if (problems.Count > 0)
            {
                throw new DomainValidationException(problems);
            }

            PastDates.Check("deadline", audit.Deadline, PastDates.Today(clock), confirmPastDate);
        }

        await MoveAsync(actor, audit, AuditStatuses.Open);
    }

    /// <summary>Moves to moderation: returns are frozen and revealed to the auditors of each case. Confirmed by the caller
    /// after showing <see cref="AuditProgress.Unfinished"/>.</summary>
    public async Task MoveToModerationAsync(Actor actor, long auditId)
    {
        await RequireAsync(actor, "audits.moderation");
        await MoveAsync(actor, await FindAsync(auditId), AuditStatuses.Moderation);
    }

    public async Task ReopenAsync(Actor actor, long auditId)
    {
        await RequireAsync(actor, "audits.reopen");
        var audit = await FindAsync(auditId);
        if (audit.Status != AuditStatuses.Moderation)
        {
            throw new DomainValidationException("Only an audit in moderation can be reopened for returns.");
        }

        await MoveAsync(actor, audit, AuditStatuses.Open);
    }

    public const int MaxCohortBytes = 20 * 1024 * 1024;

    /// <summary>Reads a cohort file's header and first rows so the scrutineer can pick the reference column.</summary>
    public static CohortPreview PreviewCohort(string csv, IProgress<int>? progress = null)
    {
        CheckCohortSize(csv);
        var table = CohortCsv.Parse(new StringReader(csv), progress: progress);
        return new CohortPreview(table.Headers, CohortCsv.GuessReferenceColumn(table.Headers), table.Rows.Count, table.Rows.Take(10).ToList());
    }

    /// <summary>Stores the cohort the sample will be drawn from (replacing any earlier one). Nothing is stored on a problem.</summary>
    public async Task<int> SaveCohortAsync(Actor actor, long auditId, string csv, string referenceColumn, string fileName,
        IProgress<int>? progress = null)
    {
        await RequireAsync(actor, "audits.cohort");
        var audit = await FindAsync(auditId);
        if (audit.Status != AuditStatuses.Planning)
        {
            throw new DomainValidationException("A cohort is imported while the audit is being planned.");
        }

        CheckCohortSize(csv);
        var cohort = CohortCsv.ToCohort(CohortCsv.Parse(new StringReader(csv), progress: progress), referenceColumn);
        var badReferences = cohort.Rows
            .Where(r => CheckReference(r.Ref) is not null)
            .Take(20)
            .Select(r => $"Row {r.Position + 2}: {CheckReference(r.Ref)}")
            .ToList();
        if (badReferences.Count > 0)
        {
            throw new CohortException(badReferences);
        }
        await audits.ReplaceCohortAsync(auditId, cohort.Rows.Select(r => new CohortEntry(r.Position, r.Ref, r.Attributes)).ToList());
        audit.RecordSample(audit.SampleCriteriaJson ?? CriteriaRules.ToJson(SampleCriteria.None),
            audit.SampleSeed ?? 0, audit.SampleSize ?? 0, cohort.Rows.Count, Path.GetFileName(fileName), clock.GetUtcNow());
        await SaveAsync(audit, Entry(actor, "import-cohort", auditId, null, $"{Path.GetFileName(fileName)}: {cohort.Rows.Count} cases, reference column {referenceColumn}"));
        return cohort.Rows.Count;
    }

    public async Task<Cohort?> GetCohortAsync(Actor actor, long auditId)
    {
        await RequireAsync(actor, "audits.cohort");
        await FindAsync(auditId);
        var entries = await audits.GetCohortAsync(auditId);
        return entries.Count == 0 ? null : ToCohort(entries);
    }

    /// <summary>How many cohort cases the criteria match, or the problems with the criteria.</summary>
    public async Task<int> CountMatchesAsync(Actor actor, long auditId, SampleCriteria criteria)
    {
        var cohort = await GetCohortAsync(actor, auditId) ?? throw new DomainValidationException("Import the cohort list first.");
        var problems = CriteriaRules.Validate(criteria, cohort);
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        return cohort.Rows.Count(r => CriteriaRules.Matches(criteria, r));
    }

    /// <summary>
    /// Draws a reproducible random sample and adds it as the audit's sampled cases (replacing an earlier draw whose
    /// cases have no answers yet). The filter, seed, size and cohort size are recorded on the audit, beside the
    /// scrutineer's sample criteria in words, which the draw leaves as they were written.
    /// </summary>
    public async Task<SampleDrawn> DrawSampleAsync(Actor actor, long auditId, SampleCriteria criteria, int size, long seed)
    {
        var cohort = await GetCohortAsync(actor, auditId) ?? throw new DomainValidationException("Import the cohort list first.");
        var audit = await FindAsync(auditId);
        if (audit.Status != AuditStatuses.Planning)
        {
            throw new DomainValidationException("The sample is drawn while the audit is being planned; after that, add cases by hand.");
        }

        var problems = CriteriaRules.Validate(criteria, cohort).ToList();
        if (size < 1)
        {
            problems.Add("The sample size is at least 1.");
        }

        if (seed < 0)
        {
            problems.Add("The seed is a whole number of 0 or more.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var chosen = Sampler.Draw(cohort, criteria, size, seed);
        var matches = cohort.Rows.Count(r => CriteriaRules.Matches(criteria, r));
        foreach (var earlier in (await audits.GetCasesAsync(auditId)).Where(c => c.Source == CaseSources.Sample))
        {
            await audits.RemoveCaseAsync(auditId, earlier.Id);
        }

        var present = (await audits.GetCasesAsync(auditId)).Select(c => c.Ref).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = chosen.Where(r => !present.Contains(r.Ref)).ToList();
        await audits.AddCasesAsync(auditId, added.Select(r => new NewCase(r.Ref, r.Attributes, CaseSources.Sample)).ToList(),
            await audits.GetAgencyIdsAsync(auditId), clock.GetUtcNow());
        var description = CriteriaRules.Describe(criteria);
        audit.RecordSample(CriteriaRules.ToJson(criteria), seed, size, cohort.Rows.Count, audit.CohortFile, clock.GetUtcNow());
        await SaveAsync(audit, Entry(actor, "draw-sample", auditId, null,
            $"{added.Count} of {matches} matching cases (cohort {cohort.Rows.Count}), seed {seed}, size {size}: {description}"));
        return new SampleDrawn(added.Select(r => r.Ref).ToList(), matches, chosen.Count - added.Count, description, seed);
    }

    private static Cohort ToCohort(IReadOnlyList<CohortEntry> entries)
    {
        const string referenceColumn = "\u0001ref";
        var attributes = entries.SelectMany(e => e.Attributes.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var table = new CsvTable([referenceColumn, .. attributes],
            entries.Select(e => (IReadOnlyList<string>)[e.Ref, .. attributes.Select(a => e.Attributes.GetValueOrDefault(a) ?? string.Empty)]).ToList());
        return CohortCsv.ToCohort(table, referenceColumn);
    }

    private static void CheckCohortSize(string csv)
    {
        if (csv.Length > MaxCohortBytes)
        {
            throw new CohortException($"The cohort file is larger than {MaxCohortBytes / 1024 / 1024} MB.");
        }
    }

    public static string? CheckReference(string reference)
    {
        if (reference.Length == 0)
        {
            return "Give the case reference.";
        }

        if (reference.Length > MaxCaseRefLength || !ReferencePattern().IsMatch(reference))
        {
            return $"\"{Shorten(reference)}\" is not a case reference. References are pseudonymised codes such as C-014: up to {MaxCaseRefLength} letters, digits, hyphens, underscores, slashes or dots, with no spaces. Never use a child's name.";
        }

        return null;
    }

    private async Task MoveAsync(Actor actor, Audit audit, string status)
    {
        var before = audit.Status;
        audit.MoveTo(status, clock.GetUtcNow());
        await SaveAsync(audit, Entry(actor, "status", audit.Id, before, status));
    }

    private static void RequireCasesEditable(Audit audit)
    {
        if (audit.Status is not (AuditStatuses.Planning or AuditStatuses.Open))
        {
            throw new DomainValidationException("Cases can be added, removed or reassigned only while the audit is being planned or is open.");
        }
    }

    private async Task<List<string>> CheckAgenciesAsync(IReadOnlyList<long> agencyIds)
    {
        var problems = new List<string>();
        if (agencyIds.Count == 0)
        {
            problems.Add("Choose at least one participating agency.");
        }

        var known = (await agencies.GetAllAsync()).Select(a => a.Id).ToHashSet();
        if (agencyIds.Any(a => !known.Contains(a)))
        {
            problems.Add("One of the chosen agencies does not exist.");
        }

        return problems;
    }

    private async Task<List<string>> CheckBaselineAsync(AuditPlan plan, long? auditId)
    {
        var problems = new List<string>();
        if (plan.Kind == AuditKinds.FollowUp && plan.BaselineAuditId is { } baselineId)
        {
            if (baselineId == auditId || await audits.GetByIdAsync(baselineId) is null)
            {
                problems.Add("The baseline must be another audit.");
            }
        }

        return problems;
    }

    private async Task<Audit> FindAsync(long auditId) =>
        await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");

    private Task<User?> RequireAsync(Actor actor, string what) => access.RequireAsync(actor, what, Role.Scrutineer);

    private Task WriteLogAsync(Actor actor, string action, long auditId, string? before, string? after) =>
        log.WriteAsync(Entry(actor, action, auditId, before, after));

    private AuditLogEntry Entry(Actor actor, string action, long auditId, string? before, string? after) =>
        new(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName, action, "audit",
            auditId.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after);

    /// <summary>The audit's change and its log line, in one transaction; refused if someone saved the audit since it was read.</summary>
    private async Task SaveAsync(Audit audit, AuditLogEntry entry)
    {
        if (!await audits.ReplaceAsync(audit, entry))
        {
            throw new DomainValidationException(Audit.ChangedMeanwhile);
        }

        audit.MarkSaved();
    }

    private static string Describe(Audit a, IEnumerable<long> agencyIds) => JsonSerializer.Serialize(new
    {
        title = a.Title,
        kind = a.Kind,
        status = a.Status,
        purpose = a.Purpose,
        sampleCriteria = a.SampleCriteriaText,
        deadline = a.Deadline?.ToString("yyyy-MM-dd"),
        thresholds = new
        {
            strength = a.Thresholds.Strength, development = a.Thresholds.Development, minimumCount = a.Thresholds.MinimumCount,
            reliability = a.Thresholds.Reliability,
        },
        baseline = a.BaselineAuditId,
        agencies = agencyIds,
    });

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_./-]*$")]
    private static partial Regex ReferencePattern();
}
