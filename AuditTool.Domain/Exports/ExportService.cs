using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Exports;

/// <summary>
/// The Excel workbook of an audit. Scrutineers export any audit; agency managers export published ones, and their
/// workbook's Responses and Moderation sheets hold only their own agency's answers (the partnership figures elsewhere).
/// Every export is written to the audit log.
/// </summary>
public sealed class ExportService(
    IAuditRepository audits,
    FiguresService figures,
    IFindingRepository findings,
    IActionRepository actions,
    IModerationRepository moderation,
    IResponseSource responses,
    IWorkbookWriter writer,
    Templates.ITemplateRepository templates,
    Agencies.IAgencyRepository agencies,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock,
    AuditTool.Domain.Concerns.IConcernRepository concerns,
    DataProtection.IDisclosureLog? disclosures = null)
{
    public async Task<string> ExportXlsxAsync(Actor actor, long auditId, Stream output, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var user = await access.RequireAsync(actor, "export.xlsx", Role.Scrutineer, Role.Manager);
        var audit = await audits.GetByIdAsync(auditId);
        if (audit is null || (user is { Role: Role.Manager } && audit.Status is not (AuditStatuses.Published or AuditStatuses.Closed)))
        {
            await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName, "access-refused", "audit",
                auditId.ToString(), null, "export.xlsx"));
            throw new AccessDeniedException("This audit cannot be exported by you.");
        }

        long? agencyOnly = user is { Role: Role.Manager } ? user.AgencyId : null;
        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException("The audit's template version is missing.");
        // The figures are one pass over the answers and the Responses sheet another: on their own threads they overlap.
        var view = Task.Run(() => figures.ComputeAsync(audit, reliability: true), cancellationToken);
        var byId = (await agencies.GetAllAsync()).ToDictionary(a => a.Id);
        var shown = new ShownResponses(responses, template, byId);
        var content = new WorkbookContent(
            audit,
            template,
            byId,
            view,
            await findings.GetByAuditAsync(auditId),
            await actions.GetByAuditAsync(auditId),
            await moderation.GetByAuditAsync(auditId),
            await ShownGradesAsync(audit, template, byId, await responses.GetModeratedGradesAsync(auditId, agencyOnly)),
            agencyOnly,
            await responses.CountAsync(auditId, agencyOnly),
            clock.GetUtcNow(),
            actor.UserName)
        {
            Concerns = AuditTool.Domain.Concerns.ConcernFigures.From(await concerns.GetManyAsync(auditId)),
        };
        if (agencyOnly is not null)
        {
            // A manager's moderation sheet covers only the cases their agency returned on.
            var cases = content.Grades.Select(g => g.CaseRef).ToHashSet();
            content = content with { Moderation = content.Moderation.Where(m => cases.Contains(m.CaseRef)).ToList() };
        }

        await writer.WriteAsync(content, shown, output, progress, cancellationToken);
        if (disclosures is not null)
        {
            // The Responses sheet is case-level: each case it carries is in the disclosure record.
            var carried = (await audits.GetReturnsAsync(auditId)).Where(r => agencyOnly is null || r.AgencyId == agencyOnly)
                .Select(r => r.CaseRef).Distinct().Select(c => new DataProtection.DisclosureSubject(auditId, c, null)).ToList();
            await disclosures.RecordAsync(actor, carried, DataProtection.DisclosureKinds.Export,
                $"Excel workbook of “{audit.Title}”{(agencyOnly is null ? "" : " (one agency's responses)")}");
        }

        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), user?.Id, actor.UserName, "export", "audit", auditId.ToString(), null,
            $"xlsx{(agencyOnly is null ? "" : $" (agency {agencyOnly} responses only)")}: {shown.Yielded} responses"));
        return $"{FileNames.Slug(audit.Title)}.xlsx";
    }

    /// <summary>An agency's grade to a moderated question its return does not show (its condition hides it) is left blank.</summary>
    private async Task<IReadOnlyList<ModerationGradeRow>> ShownGradesAsync(Audit audit, Templates.TemplateDefinition template,
        IReadOnlyDictionary<long, Agencies.Agency> byId, IReadOnlyList<ModerationGradeRow> grades)
    {
        if (template.Questions.All(q => q.ShowIf is null) || grades.All(g => g.Value is null))
        {
            return grades;
        }

        var returns = (await audits.GetReturnsAsync(audit.Id)).Where(r => r.Status == ReturnStatuses.Submitted)
            .ToDictionary(r => (r.CaseRef, r.AgencyId));
        var answers = await audits.GetAnswersByAuditAsync(audit.Id);
        var shown = new Dictionary<long, HashSet<string>>();
        bool IsShown(ModerationGradeRow g)
        {
            if (!returns.TryGetValue((g.CaseRef, g.AgencyId), out var ret))
            {
                return true;
            }

            if (!shown.TryGetValue(ret.Id, out var keys))
            {
                var kind = byId.TryGetValue(ret.AgencyId, out var agency) ? agency.Kind : string.Empty;
                keys = Answers.Shown(template, kind, answers.GetValueOrDefault(ret.Id) ?? []).Select(a => a.QuestionKey).ToHashSet(StringComparer.Ordinal);
                shown[ret.Id] = keys;
            }

            return keys.Contains(g.QuestionKey);
        }

        return grades.Select(g => g.Value is not null && !IsShown(g) ? g with { Value = null } : g).ToList();
    }
}
