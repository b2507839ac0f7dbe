using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

public sealed record CaseReturn(AgencyReturn Return, Agency Agency, IReadOnlyDictionary<string, object?> Answers, IReadOnlyDictionary<string, string> Evidence);

/// <summary>One case with every agency's return side by side and its moderated judgements.</summary>
public sealed record ModerationCase(
    Audit Audit,
    TemplateDefinition Template,
    AuditCase Case,
    IReadOnlyList<CaseReturn> Returns,
    IReadOnlyDictionary<string, Moderation> Moderations)
{
    /// <summary>Graded and single-choice questions can be moderated.</summary>
    public IEnumerable<QuestionDefinition> Moderatable =>
        Template.Questions.Where(q => q.Type is QuestionType.Scale or QuestionType.Choice);
}

public sealed record ModerationSummary(AuditCase Case, int Returns, int Submitted, int Moderated);

/// <summary>
/// The scrutineer moderates each case: a moderated value per question where needed, with a rationale whenever it
/// differs from an agency's grade. The agencies' own answers are never changed.
/// </summary>
public sealed class ModerationService(
    IAuditRepository audits,
    IModerationRepository moderations,
    ITemplateRepository templates,
    IAgencyRepository agencies,
    AccessPolicy access,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<ModerationSummary>> GetCasesAsync(Actor actor, long auditId)
    {
        await access.RequireAsync(actor, "moderation.cases", Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var returns = (await audits.GetReturnsAsync(audit.Id)).ToLookup(r => r.CaseId);
        var moderated = (await moderations.GetByAuditAsync(audit.Id)).ToLookup(m => m.CaseId);
        return (await audits.GetCasesAsync(audit.Id))
            .Select(c => new ModerationSummary(c, returns[c.Id].Count(), returns[c.Id].Count(r => r.Status == ReturnStatuses.Submitted), moderated[c.Id].Count()))
            .ToList();
    }

    public async Task<ModerationCase> GetCaseAsync(Actor actor, long auditId, long caseId)
    {
        await access.RequireAsync(actor, "moderation.case", Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var theCase = (await audits.GetCasesAsync(auditId)).FirstOrDefault(c => c.Id == caseId)
            ?? throw new DomainValidationException("That case is not in this audit.");
        var template = await templates.GetVersionAsync(audit.TemplateVersionId) ?? throw new InvalidOperationException("Missing template version.");
        var byId = (await agencies.GetAllAsync()).ToDictionary(a => a.Id);
        var returns = new List<CaseReturn>();
        foreach (var r in (await audits.GetReturnsAsync(auditId)).Where(r => r.CaseId == caseId))
        {
            var stored = Answers.Shown(template, byId[r.AgencyId].Kind, await audits.GetAnswersAsync(r.Id));
            returns.Add(new CaseReturn(r, byId[r.AgencyId], Answers.Decode(template, stored),
                stored.Where(a => a.Evidence is not null).ToDictionary(a => a.QuestionKey, a => a.Evidence!)));
        }

        var moderated = (await moderations.GetByAuditAsync(auditId)).Where(m => m.CaseId == caseId).ToDictionary(m => m.QuestionKey);
        return new ModerationCase(audit, template, theCase, returns, moderated);
    }

    /// <summary>Records the moderated value of one question for one case. The rationale is required when the value
    /// differs from any submitted agency answer to that question.</summary>
    public async Task SaveAsync(Actor actor, long auditId, long caseId, string questionKey, string value, string? rationale)
    {
        var user = await access.RequireAsync(actor, "moderation.save", Role.Scrutineer);
        var view = await GetCaseAsync(actor, auditId, caseId);
        if (view.Audit.Status != AuditStatuses.Moderation)
        {
            throw new DomainValidationException("Moderation is recorded while the audit is in moderation.");
        }

        var question = view.Moderatable.FirstOrDefault(q => q.Key == questionKey)
            ?? throw new DomainValidationException($"\"{questionKey}\" is not a graded question of this audit.");
        if (Answers.Check(view.Template, question, value) is { } problem)
        {
            throw new DomainValidationException($"\"{question.Text}\": {problem}");
        }

        rationale = rationale?.Trim() ?? string.Empty;
        if (rationale.Length > Audit.MaxTextLength)
        {
            throw new DomainValidationException($"A rationale is at most {Audit.MaxTextLength:N0} characters.");
        }

        var differing = view.Returns
            .Where(r => r.Return.Status == ReturnStatuses.Submitted && r.Answers.GetValueOrDefault(questionKey) is string given &&
                        given != BuiltInScales.NotApplicable && given != value &&
                        Visibility.IsShown(view.Template, question, r.Agency.Kind, r.Answers))
            .Select(r => r.Agency.Name)
            .ToList();
        if (differing.Count > 0 && rationale.Length == 0)
        {
            throw new DomainValidationException($"Give the rationale: the moderated grade differs from {string.Join(", ", differing)}.");
        }

        var before = view.Moderations.GetValueOrDefault(questionKey);
        var now = clock.GetUtcNow();
        await moderations.UpsertAsync(caseId, questionKey, value, rationale, user?.Id, now, new AuditLogEntry(now, user?.Id, actor.UserName,
            before is null ? "create" : "update", "moderation", $"{caseId}/{questionKey}",
            before is null ? null : $"{before.Value}: {before.Rationale}", $"{value}: {rationale}",
            new LogSubject(auditId, view.Case.Ref), CaseContent: true));
    }

    public async Task ClearAsync(Actor actor, long auditId, long caseId, string questionKey)
    {
        var user = await access.RequireAsync(actor, "moderation.clear", Role.Scrutineer);
        var view = await GetCaseAsync(actor, auditId, caseId);
        if (view.Audit.Status != AuditStatuses.Moderation)
        {
            throw new DomainValidationException("Moderation is recorded while the audit is in moderation.");
        }

        if (view.Moderations.GetValueOrDefault(questionKey) is { } before)
        {
            await moderations.DeleteAsync(caseId, questionKey, new AuditLogEntry(clock.GetUtcNow(), user?.Id, actor.UserName, "delete",
                "moderation", $"{caseId}/{questionKey}", $"{before.Value}: {before.Rationale}", null,
                new LogSubject(auditId, view.Case.Ref), CaseContent: true));
        }
    }
}
