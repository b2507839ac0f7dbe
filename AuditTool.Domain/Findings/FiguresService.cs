using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

public sealed record FiguresView(
    Audit Audit,
    TemplateDefinition Template,
    AuditFigures Figures,
    IReadOnlyList<Proposal> Proposals,
    BaselineComparison? Baseline,
    string? BaselineTitle,
    IReadOnlyList<AuditAction> BaselineOpenActions,
    IReadOnlyDictionary<long, Agency> Agencies);

/// <summary>
/// The figures of one audit. Scrutineers see them at any stage; managers and executives only once the audit is
/// published. The view carries aggregates only: no case references, answers or evidence.
/// </summary>
public sealed class FiguresService(
    IFiguresSource source,
    IAuditRepository audits,
    IActionRepository actions,
    IAgencyRepository agencies,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    public static AuditThresholds ThresholdsOf(Audit audit) =>
        new(audit.Thresholds.Strength, audit.Thresholds.Development, audit.Thresholds.MinimumCount, audit.Thresholds.Reliability);

    /// <param name="reliability">Also compute the reliability of grades (<see cref="AuditFigures.Reliability"/>), which
    /// costs a bootstrap per figure: only the pages that show it ask.</param>
    public async Task<FiguresView> GetAsync(Actor actor, long auditId, bool reliability = false)
    {
        var user = await access.RequireAsync(actor, "figures.read", Role.Scrutineer, Role.Manager, Role.Executive);
        var audit = await audits.GetByIdAsync(auditId);
        if (audit is null || (user is not null && user.Role != Role.Scrutineer && audit.Status is not (AuditStatuses.Published or AuditStatuses.Closed)))
        {
            await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName, "access-refused", "audit",
                auditId.ToString(), null, "figures.read"));
            throw new AccessDeniedException("This report is not published.");
        }

        return await ComputeAsync(audit, reliability);
    }

    /// <summary>The figures without an access check, for services that have already checked (export, reports).</summary>
    internal async Task<FiguresView> ComputeAsync(Audit audit, bool reliability = false)
    {
        var input = await source.LoadAsync(audit.Id) ?? throw new DomainValidationException("That audit does not exist.");
        var thresholds = ThresholdsOf(audit);
        var figures = AuditAggregator.Aggregate(input.Template, input.Parts, input.Moderation, thresholds, reliability);
        BaselineComparison? comparison = null;
        string? baselineTitle = null;
        IReadOnlyList<AuditAction> open = [];
        if (audit.BaselineAuditId is { } baselineId && await source.LoadAsync(baselineId) is { } baseline)
        {
            var baselineFigures = AuditAggregator.Aggregate(baseline.Template, baseline.Parts, baseline.Moderation, ThresholdsOf(baseline.Audit));
            comparison = AuditAggregator.Compare(baselineFigures, figures);
            baselineTitle = baseline.Audit.Title;
            open = (await actions.GetByAuditAsync(baselineId)).Where(a => a.Status != ActionStatuses.Done).ToList();
        }

        return new FiguresView(audit, input.Template, figures, Proposals.From(figures, thresholds), comparison, baselineTitle, open,
            (await agencies.GetAllAsync()).ToDictionary(a => a.Id));
    }
}
