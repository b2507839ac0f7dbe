using System.Collections.Concurrent;
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
    IReadOnlyDictionary<long, Agency> Agencies)
{
    /// <summary>The texts of questions whose key the baseline's template also has, but asking something else there
    /// (different words, not confirmed as one measure): not compared.</summary>
    public IReadOnlyList<string> BaselineKeptApart { get; init; } = [];
}

/// <summary>
/// The figures of one audit. Scrutineers see them at any stage; managers and executives only once the audit is
/// published. The view carries aggregates only: no case references, answers or evidence.
/// A published audit's figures are computed once, as it is published, and read from where they were kept ever after
/// (<see cref="IFiguresStore"/>); an open audit's are computed when first asked for and kept in memory until the audit's
/// change counter moves (any answer, status, case or moderation change, on any server), so reading them again, on a
/// findings edit say, costs one small query.
/// </summary>
public sealed class FiguresService(
    IFiguresSource source,
    IFiguresStore store,
    IAuditRepository audits,
    IActionRepository actions,
    IAgencyRepository agencies,
    ITemplateRepository templates,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock,
    ISameMeasureRepository sameMeasures)
{
    private readonly ConcurrentDictionary<long, (long Changes, Computed Figures)> _kept = new();

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
        var figures = await FiguresOfAsync(audit, reliability);
        IReadOnlyList<AuditAction> open = audit.BaselineAuditId is { } baselineId && figures.Baseline is not null
            ? (await actions.GetByAuditAsync(baselineId)).Where(a => a.Status != ActionStatuses.Done).ToList()
            : [];
        var (comparison, keptApart) = await SameMeasuresOfAsync(audit, figures);
        return new FiguresView(audit, figures.Template, figures.Figures, Proposals.From(figures.Figures, ThresholdsOf(audit), figures.Template.ThemeNames), comparison,
            figures.BaselineTitle, open, (await agencies.GetAllAsync()).ToDictionary(a => a.Id)) { BaselineKeptApart = keptApart };
    }

    /// <summary>
    /// The baseline comparison as read (it is kept whole, by key): a question compares only where it is one measure in
    /// both audits' templates (<see cref="SameMeasures"/>), so a scrutineer's confirmation counts from the moment it is made.
    /// </summary>
    private async Task<(BaselineComparison? Comparison, IReadOnlyList<string> KeptApart)> SameMeasuresOfAsync(Audit audit, Computed figures)
    {
        if (figures.Baseline is not { } comparison || audit.BaselineAuditId is not { } baselineId || await audits.GetByIdAsync(baselineId) is not { } baseline)
        {
            return (figures.Baseline, []);
        }

        var before = await TemplateOfAsync(baseline);
        if (before.Key == figures.Template.Key)
        {
            return (comparison, []);
        }

        var same = new SameMeasures(await sameMeasures.GetAllAsync());
        string TextIn(TemplateDefinition t, string key) => t.Questions.FirstOrDefault(q => q.Key == key)?.Text ?? "";
        var apart = comparison.Questions
            .Where(c => !same.AreOne(c.Key, before.Key, TextIn(before, c.Key), figures.Template.Key, TextIn(figures.Template, c.Key)))
            .Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        return apart.Count == 0
            ? (comparison, [])
            : (comparison with { Questions = comparison.Questions.Where(c => !apart.Contains(c.Key)).ToList() },
               apart.Select(k => TextIn(figures.Template, k)).ToList());
    }

    /// <summary>
    /// Computes a published audit's figures again from its answers, compares them with those kept at publication, and
    /// keeps the new ones (the <c>recompute-figures</c> verb). Returns whether they differed.
    /// </summary>
    public async Task<(bool Differed, bool WereKept)> RecomputeAsync(Actor actor, long auditId)
    {
        await access.RequireAsync(actor, "figures.recompute", Role.Administrator);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var kept = await store.GetAsync(auditId);
        var fresh = await ComputeFreshAsync(audit, reliability: true);
        var stored = await StoredOfAsync(audit, fresh);
        var differed = kept is null || !Same(kept, stored);
        await store.SaveAsync(auditId, stored);
        _kept.TryRemove(auditId, out _);
        return (differed, kept is not null);
    }

    /// <summary>What publishing keeps: the figures as they are now (and the baseline comparison).</summary>
    internal async Task<StoredFigures> ToKeepAsync(Audit audit) => await StoredOfAsync(audit, await ComputeFreshAsync(audit, reliability: true));

    private async Task<StoredFigures> StoredOfAsync(Audit audit, Computed fresh) =>
        new(fresh.Figures, fresh.Baseline, fresh.BaselineTitle, await store.GetChangesAsync(audit.Id), clock.GetUtcNow());

    private static bool Same(StoredFigures a, StoredFigures b) =>
        System.Text.Json.JsonSerializer.Serialize(a.Figures) == System.Text.Json.JsonSerializer.Serialize(b.Figures) &&
        System.Text.Json.JsonSerializer.Serialize(a.Baseline) == System.Text.Json.JsonSerializer.Serialize(b.Baseline);

    /// <param name="reliability">The reliability of grades is wanted (kept figures of a published audit always have it).</param>
    private async Task<Computed> FiguresOfAsync(Audit audit, bool reliability = false)
    {
        var changes = await store.GetChangesAsync(audit.Id);
        if (_kept.TryGetValue(audit.Id, out var held) && held.Changes == changes && (!reliability || held.Figures.WithReliability))
        {
            return held.Figures;
        }

        Computed figures;
        if (audit.Status is AuditStatuses.Published or AuditStatuses.Closed)
        {
            if (await store.GetAsync(audit.Id) is { } kept)
            {
                var template = await TemplateOfAsync(audit);
                figures = new Computed(template, kept.Figures, kept.Baseline, kept.BaselineTitle, WithReliability: true);
            }
            else
            {
                // Published before its figures were kept: computed once now, and kept from now on.
                figures = await ComputeFreshAsync(audit, reliability: true);
                await store.SaveAsync(audit.Id, await StoredOfAsync(audit, figures));
            }
        }
        else
        {
            figures = await ComputeFreshAsync(audit, reliability);
        }

        _kept[audit.Id] = (changes, figures);
        return figures;
    }

    /// <summary>From every answer, on the thread pool (the reading streams answers and holds its thread while it does).</summary>
    private async Task<Computed> ComputeFreshAsync(Audit audit, bool reliability)
    {
        var input = await source.LoadAsync(audit.Id) ?? throw new DomainValidationException("That audit does not exist.");
        var figures = await Task.Run(() => AuditAggregator.Aggregate(input.Template, input.Parts, input.Moderation, ThresholdsOf(audit), reliability));
        BaselineComparison? comparison = null;
        string? baselineTitle = null;
        if (audit.BaselineAuditId is { } baselineId && await audits.GetByIdAsync(baselineId) is { } baseline)
        {
            var baselineFigures = await FiguresOfAsync(baseline);
            comparison = AuditAggregator.Compare(baselineFigures.Figures, figures);
            baselineTitle = baseline.Title;
        }

        return new Computed(input.Template, figures, comparison, baselineTitle, reliability);
    }

    private async Task<TemplateDefinition> TemplateOfAsync(Audit audit) =>
        (await templates.GetVersionAsync(audit.TemplateVersionId))
        ?? throw new InvalidOperationException($"Audit {audit.Id} points at a missing template version.");

    private sealed record Computed(TemplateDefinition Template, AuditFigures Figures, BaselineComparison? Baseline, string? BaselineTitle,
        bool WithReliability);
}
