using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Findings;

public sealed record FindingInput(string Kind, string Title, string Narrative, IReadOnlyList<string> QuestionKeys, IReadOnlyList<string> Themes);

public sealed record ActionInput(string Description, long? OwnerAgencyId, DateOnly? DueDate, string Status, long? FindingId);

public sealed record AgencyActionView(AuditAction Action, string AuditTitle, string? FindingTitle, bool IsOverdue);

/// <summary>
/// The scrutineer curates findings (keeps, rewords, drops, adds, links, orders) until the audit is published, and
/// records actions; an agency manager follows up their agency's actions once the report is published.
/// </summary>
public sealed class FindingsService(
    IAuditRepository audits,
    IFindingRepository findings,
    IActionRepository actions,
    IAgencyRepository agencies,
    Templates.ITemplateRepository templates,
    FiguresService figures,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    public const int MaxTitleLength = 300;
    public const int MaxNarrativeLength = 8000;
    public const int MaxQuoteLength = 600;

    public async Task<IReadOnlyList<Finding>> GetFindingsAsync(Actor actor, long auditId)
    {
        await ReadableAsync(actor, auditId);
        return await findings.GetByAuditAsync(auditId);
    }

    public async Task<IReadOnlyList<AuditAction>> GetActionsAsync(Actor actor, long auditId)
    {
        await ReadableAsync(actor, auditId);
        return await actions.GetByAuditAsync(auditId);
    }

    public async Task<long> AddFindingAsync(Actor actor, long auditId, FindingInput input, string source = "scrutineer")
    {
        var audit = await CuratableAsync(actor, auditId, "findings.add");
        Check(input);
        var position = (await findings.GetByAuditAsync(auditId)).Select(f => f.Position).DefaultIfEmpty(-1).Max() + 1;
        var id = await findings.CreateAsync(new Finding(0, audit.Id, input.Kind, input.Title.Trim(), input.Narrative.Trim(), position,
            input.QuestionKeys.Distinct().ToList(), input.Themes.Distinct().ToList(), source == "proposed" ? "proposed" : "scrutineer"), clock.GetUtcNow());
        await WriteLogAsync(actor, "create", "finding", id, null, input.Title);
        return id;
    }

    public Task<long> KeepProposalAsync(Actor actor, long auditId, Proposal proposal) =>
        AddFindingAsync(actor, auditId, new FindingInput(proposal.Kind, proposal.Title, proposal.Narrative,
            proposal.QuestionKey is null ? [] : [proposal.QuestionKey], proposal.Theme is null ? [] : [proposal.Theme]), "proposed");

    public async Task UpdateFindingAsync(Actor actor, long auditId, long findingId, FindingInput input)
    {
        await CuratableAsync(actor, auditId, "findings.update");
        Check(input);
        var existing = await FindingAsync(auditId, findingId);
        var updated = existing with
        {
            Kind = input.Kind,
            Title = input.Title.Trim(),
            Narrative = input.Narrative.Trim(),
            QuestionKeys = input.QuestionKeys.Distinct().ToList(),
            Themes = input.Themes.Distinct().ToList(),
        };
        await findings.ReplaceAsync(updated, clock.GetUtcNow());
        await WriteLogAsync(actor, "update", "finding", findingId, $"{existing.Title}: {existing.Narrative}", $"{updated.Title}: {updated.Narrative}");
    }

    public async Task DeleteFindingAsync(Actor actor, long auditId, long findingId)
    {
        await CuratableAsync(actor, auditId, "findings.delete");
        var existing = await FindingAsync(auditId, findingId);
        await findings.DeleteAsync(findingId);
        await WriteLogAsync(actor, "delete", "finding", findingId, existing.Title, null);
    }

    /// <summary>Moves a finding up (-1) or down (+1) among the findings of its kind.</summary>
    public async Task MoveFindingAsync(Actor actor, long auditId, long findingId, int by)
    {
        await CuratableAsync(actor, auditId, "findings.order");
        var all = (await findings.GetByAuditAsync(auditId)).ToList();
        var index = all.FindIndex(f => f.Id == findingId);
        if (index < 0)
        {
            throw new DomainValidationException("That finding is not in this audit.");
        }

        var sameKind = all.Where(f => f.Kind == all[index].Kind).ToList();
        var at = sameKind.FindIndex(f => f.Id == findingId);
        var target = at + Math.Sign(by);
        if (target < 0 || target >= sameKind.Count)
        {
            return;
        }

        (sameKind[at], sameKind[target]) = (sameKind[target], sameKind[at]);
        var ordered = all.Where(f => f.Kind != all[index].Kind).Concat(sameKind).OrderBy(f => f.Kind == FindingKinds.Strength ? 0 : 1).ToList();
        var now = clock.GetUtcNow();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Position != i)
            {
                await findings.ReplaceAsync(ordered[i] with { Position = i }, now);
            }
        }

        await WriteLogAsync(actor, "reorder", "finding", findingId, null, by < 0 ? "up" : "down");
    }

    /// <param name="confirmPastDate">The caller has asked the scrutineer and they mean a due date in the past (the action is
    /// overdue at once).</param>
    public async Task<long> AddActionAsync(Actor actor, long auditId, ActionInput input, bool confirmPastDate = false)
    {
        var audit = await ActionableAsync(actor, auditId, "actions.add");
        await CheckAsync(auditId, input);
        PastDates.Check("due date", input.DueDate, PastDates.Today(clock), confirmPastDate);
        var id = await actions.CreateAsync(new AuditAction(0, audit.Id, input.FindingId, input.Description.Trim(), input.OwnerAgencyId,
            input.DueDate, input.Status, clock.GetUtcNow()), clock.GetUtcNow());
        await WriteLogAsync(actor, "create", "action", id, null, $"{input.Description} ({input.Status}, due {input.DueDate:yyyy-MM-dd})");
        return id;
    }

    /// <param name="confirmPastDate">The caller has asked the scrutineer and they mean a new due date in the past. A due date
    /// left as it was is not asked about again.</param>
    public async Task UpdateActionAsync(Actor actor, long auditId, long actionId, ActionInput input, bool confirmPastDate = false)
    {
        await ActionableAsync(actor, auditId, "actions.update");
        await CheckAsync(auditId, input);
        var existing = await ActionAsync(auditId, actionId);
        if (input.DueDate != existing.DueDate)
        {
            PastDates.Check("due date", input.DueDate, PastDates.Today(clock), confirmPastDate);
        }

        var updated = existing with
        {
            Description = input.Description.Trim(),
            OwnerAgencyId = input.OwnerAgencyId,
            DueDate = input.DueDate,
            Status = input.Status,
            FindingId = input.FindingId,
        };
        await actions.ReplaceAsync(updated, clock.GetUtcNow());
        await WriteLogAsync(actor, "update", "action", actionId, Describe(existing), Describe(updated));
    }

    public async Task DeleteActionAsync(Actor actor, long auditId, long actionId)
    {
        await ActionableAsync(actor, auditId, "actions.delete");
        var existing = await ActionAsync(auditId, actionId);
        await actions.DeleteAsync(actionId);
        await WriteLogAsync(actor, "delete", "action", actionId, Describe(existing), null);
    }

    /// <summary>A manager updates the status of their own agency's actions on published reports; a scrutineer any.</summary>
    public async Task SetActionStatusAsync(Actor actor, long actionId, string status)
    {
        var user = await access.RequireAsync(actor, "actions.status", Role.Scrutineer, Role.Manager);
        if (!ActionStatuses.All.Contains(status))
        {
            throw new DomainValidationException("An action is open, in progress or done.");
        }

        var action = await actions.GetByIdAsync(actionId);
        var audit = action is null ? null : await audits.GetByIdAsync(action.AuditId);
        if (action is null || audit is null ||
            (user is { Role: Role.Manager } && (action.OwnerAgencyId != user.AgencyId || audit.Status is not (AuditStatuses.Published or AuditStatuses.Closed))))
        {
            await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName, "access-refused", "action",
                actionId.ToString(), null, "actions.status"));
            throw new AccessDeniedException("You do not have access to this action.");
        }

        await actions.ReplaceAsync(action with { Status = status }, clock.GetUtcNow());
        await WriteLogAsync(actor, "update", "action", actionId, action.Status, status);
    }

    /// <summary>The manager's own agency's actions, on published reports.</summary>
    public async Task<IReadOnlyList<AgencyActionView>> GetAgencyActionsAsync(Actor actor)
    {
        var user = await access.RequireAsync(actor, "actions.agency", Role.Manager)
            ?? throw new AccessDeniedException("Only an agency manager has agency actions.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var result = new List<AgencyActionView>();
        foreach (var group in (await actions.GetByOwnerAsync(user.AgencyId!.Value)).GroupBy(a => a.AuditId))
        {
            var audit = await audits.GetByIdAsync(group.Key);
            if (audit?.Status is not (AuditStatuses.Published or AuditStatuses.Closed))
            {
                continue;
            }

            var titles = (await findings.GetByAuditAsync(audit.Id)).ToDictionary(f => f.Id, f => f.Title);
            result.AddRange(group.Select(a => new AgencyActionView(a, audit.Title,
                a.FindingId is { } f ? titles.GetValueOrDefault(f) : null, a.IsOverdue(today))));
        }

        return result.OrderBy(a => a.Action.DueDate ?? DateOnly.MaxValue).ToList();
    }

    /// <summary>The evidence quotes of every finding of an audit, by finding.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<FindingQuote>>> GetQuotesAsync(Actor actor, long auditId)
    {
        await ReadableAsync(actor, auditId);
        return (await findings.GetQuotesByAuditAsync(auditId))
            .GroupBy(q => q.FindingId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<FindingQuote>)g.ToList());
    }

    /// <summary>Evidence notes of submitted returns a quote may be drawn from: the finding's linked questions, or all.</summary>
    public async Task<IReadOnlyList<QuoteSource>> GetQuoteSourcesAsync(Actor actor, long auditId, long findingId)
    {
        await access.RequireAsync(actor, "findings.quote-sources", Role.Scrutineer);
        var finding = await FindingAsync(auditId, findingId);
        var sources = await findings.GetQuoteSourcesAsync(auditId, finding.QuestionKeys);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException("The audit's template version is missing.");
        if (sources.Count == 0 || template.Questions.All(q => q.ShowIf is null))
        {
            return sources;
        }

        // A note on a question its return no longer shows (its condition hides it) is not a source.
        var kinds = (await agencies.GetAllAsync()).ToDictionary(a => a.Id, a => a.Kind);
        var returns = (await audits.GetReturnsAsync(auditId)).ToDictionary(r => r.Id);
        var answers = await audits.GetAnswersByAuditAsync(auditId);
        var shown = sources.Select(s => s.ReturnId).Distinct().ToDictionary(id => id, id =>
            Answers.Shown(template, kinds.GetValueOrDefault(returns[id].AgencyId) ?? string.Empty, answers.GetValueOrDefault(id) ?? [])
                .Select(a => a.QuestionKey).ToHashSet(StringComparer.Ordinal));
        return sources.Where(s => shown[s.ReturnId].Contains(s.QuestionKey)).ToList();
    }

    /// <summary>
    /// Attaches a quote, as the scrutineer has edited it: it is their curated text, reviewed for anything identifying,
    /// and is read in the report. Refused once the report is published, like every other change to the findings.
    /// </summary>
    public async Task<long> AddQuoteAsync(Actor actor, long auditId, long findingId, string text, long? sourceReturnId = null, string? sourceQuestionKey = null)
    {
        await CuratableAsync(actor, auditId, "findings.quote-add");
        await FindingAsync(auditId, findingId);
        text = (text ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw new DomainValidationException("Write the quote as it should appear in the report.");
        }

        if (text.Length > MaxQuoteLength)
        {
            throw new DomainValidationException($"A quote is at most {MaxQuoteLength} characters; this one has {text.Length:N0}. Shorten it to the words that matter.");
        }

        if (sourceReturnId is { } returnId && (await audits.GetReturnAsync(returnId))?.AuditId != auditId)
        {
            throw new DomainValidationException("The quote's source is not a return of this audit.");
        }

        var id = await findings.AddQuoteAsync(findingId, text, sourceReturnId, sourceQuestionKey, actor.IsSystem ? null : actor.UserId, clock.GetUtcNow());
        await WriteLogAsync(actor, "create", "finding-quote", id, null, text, caseContent: true, auditId);
        return id;
    }

    public async Task RemoveQuoteAsync(Actor actor, long auditId, long findingId, long quoteId)
    {
        await CuratableAsync(actor, auditId, "findings.quote-remove");
        await FindingAsync(auditId, findingId);
        var existing = (await findings.GetQuotesByAuditAsync(auditId)).FirstOrDefault(q => q.Id == quoteId && q.FindingId == findingId)
            ?? throw new DomainValidationException("That quote is not on this finding.");
        await findings.DeleteQuoteAsync(findingId, quoteId);
        await WriteLogAsync(actor, "delete", "finding-quote", quoteId, existing.Text, null, caseContent: true, auditId);
    }

    /// <summary>Publishes the report: findings are frozen; executives and managers can read it.</summary>
    public async Task PublishAsync(Actor actor, long auditId)
    {
        await access.RequireAsync(actor, "audits.publish", Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        if (audit.Status != AuditStatuses.Moderation)
        {
            throw new DomainValidationException("An audit is published from moderation.");
        }

        if ((await findings.GetByAuditAsync(auditId)).Count == 0)
        {
            throw new DomainValidationException("Keep or write at least one finding before publishing: executives read the findings.");
        }

        // The figures are computed once, now, and kept with the published status in the same transaction: the report,
        // trends and the documents read them from there ever after.
        var kept = await figures.ToKeepAsync(audit);
        audit.MoveTo(AuditStatuses.Published, clock.GetUtcNow());
        if (!await audits.ReplaceAsync(audit, Entry(actor, "status", "audit", auditId, AuditStatuses.Moderation, AuditStatuses.Published), kept))
        {
            throw new DomainValidationException(Audit.ChangedMeanwhile);
        }
    }

    public async Task CloseAsync(Actor actor, long auditId)
    {
        await access.RequireAsync(actor, "audits.close", Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        audit.MoveTo(AuditStatuses.Closed, clock.GetUtcNow());
        if (!await audits.ReplaceAsync(audit, Entry(actor, "status", "audit", auditId, AuditStatuses.Published, AuditStatuses.Closed)))
        {
            throw new DomainValidationException(Audit.ChangedMeanwhile);
        }
    }

    private async Task<Audit> ReadableAsync(Actor actor, long auditId)
    {
        var user = await access.RequireAsync(actor, "findings.read", Role.Scrutineer, Role.Manager, Role.Executive);
        var audit = await audits.GetByIdAsync(auditId);
        if (audit is null || (user is not null && user.Role != Role.Scrutineer && audit.Status is not (AuditStatuses.Published or AuditStatuses.Closed)))
        {
            throw new AccessDeniedException("This report is not published.");
        }

        return audit;
    }

    private async Task<Audit> CuratableAsync(Actor actor, long auditId, string what)
    {
        await access.RequireAsync(actor, what, Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        if (audit.Status is AuditStatuses.Published or AuditStatuses.Closed)
        {
            throw new DomainValidationException("The findings were frozen when the report was published.");
        }

        return audit;
    }

    private async Task<Audit> ActionableAsync(Actor actor, long auditId, string what)
    {
        await access.RequireAsync(actor, what, Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        if (audit.Status == AuditStatuses.Closed)
        {
            throw new DomainValidationException("The audit is closed.");
        }

        return audit;
    }

    private static void Check(FindingInput input)
    {
        var problems = new List<string>();
        if (input.Kind is not (FindingKinds.Strength or FindingKinds.Development))
        {
            problems.Add("A finding is an area of strength or an area for development.");
        }

        if (string.IsNullOrWhiteSpace(input.Title))
        {
            problems.Add("Give the finding a title.");
        }
        else if (input.Title.Length > MaxTitleLength)
        {
            problems.Add($"A title is at most {MaxTitleLength} characters.");
        }

        if (input.Narrative.Length > MaxNarrativeLength)
        {
            problems.Add($"A narrative is at most {MaxNarrativeLength:N0} characters.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }
    }

    private async Task CheckAsync(long auditId, ActionInput input)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(input.Description))
        {
            problems.Add("Describe the action.");
        }
        else if (input.Description.Length > Audit.MaxTextLength)
        {
            problems.Add($"A description is at most {Audit.MaxTextLength:N0} characters.");
        }

        if (!ActionStatuses.All.Contains(input.Status))
        {
            problems.Add("An action is open, in progress or done.");
        }

        if (input.OwnerAgencyId is { } owner && await agencies.GetByIdAsync(owner) is null)
        {
            problems.Add("The owner agency does not exist.");
        }

        if (input.FindingId is { } finding && (await findings.GetByAuditAsync(auditId)).All(f => f.Id != finding))
        {
            problems.Add("The linked finding is not in this audit.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }
    }

    private async Task<Finding> FindingAsync(long auditId, long findingId) =>
        (await findings.GetByAuditAsync(auditId)).FirstOrDefault(f => f.Id == findingId)
        ?? throw new DomainValidationException("That finding is not in this audit.");

    private async Task<AuditAction> ActionAsync(long auditId, long actionId) =>
        await actions.GetByIdAsync(actionId) is { } a && a.AuditId == auditId
            ? a
            : throw new DomainValidationException("That action is not in this audit.");

    private static string Describe(AuditAction a) => $"{a.Description} (owner {a.OwnerAgencyId}, due {a.DueDate:yyyy-MM-dd}, {a.Status})";

    private Task WriteLogAsync(Actor actor, string action, string entity, long id, string? before, string? after, bool caseContent = false,
        long? auditId = null) =>
        log.WriteAsync(Entry(actor, action, entity, id, before, after, caseContent, auditId));

    private AuditLogEntry Entry(Actor actor, string action, string entity, long id, string? before, string? after, bool caseContent = false,
        long? auditId = null) =>
        new(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName, action, entity,
            id.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after,
            auditId is { } a ? new LogSubject(a) : null, caseContent);
}
