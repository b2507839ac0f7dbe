using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Findings;

/// <param name="Themes">The themes the finding is linked to, by their names (as the template names them).</param>
/// <param name="Quotes">The scrutineer's curated evidence quotes, edited to remove anything identifying.</param>
public sealed record ReportFinding(string Kind, string Title, string Narrative, IReadOnlyList<(string Question, double? Rate)> Evidence,
    IReadOnlyList<string> Themes, IReadOnlyList<string> Quotes);

public sealed record ReportAction(string Description, string? Owner, DateOnly? Due, string Status, bool IsOverdue, string? Finding);

/// <param name="Share">Counted answers that chose the option / counted answers (<see cref="OptionFigure.Share"/>).</param>
/// <param name="Count">Counted answers that chose the option.</param>
/// <param name="Colour">The option's colour in charts (<see cref="ChartColours"/>): it follows the score.</param>
public sealed record GradeShare(string Label, double Share, int Count, Polarity Polarity, string Colour)
{
    /// <summary>The share as every chart label and table cell writes it ("43%").</summary>
    public string Percent => Proposals.Percent(Share);
}

/// <summary>A question's chart data, made by <see cref="QuestionCharts.For"/>.</summary>
/// <param name="Shares">Every option but "na", in the template's order. For multichoice they can add up to more than 1.</param>
public sealed record QuestionChart(string Key, string Text, QuestionType Type, int Counted, double? PositiveRate, IReadOnlyList<GradeShare> Shares)
{
    public ChartLayout Layout => Type == QuestionType.MultiChoice ? ChartLayout.BarPerOption : ChartLayout.Stacked;

    /// <summary>Graded: some option has a polarity (a scale, or a choice judging practice). Descriptive: every option is
    /// neutral (a choice that describes the child, e.g. SEND status): no polarity colours and no thresholds.</summary>
    public bool IsGraded => Shares.Any(s => s.Polarity != Polarity.Neutral);
}

public sealed record RateBar(string Label, double? Rate, string Detail);

public sealed record ChangeRow(string Label, double? Baseline, double? Now, double? ChangePoints);

/// <summary>
/// What an executive reads: aggregated figures, the curated findings and the actions. It carries no case reference,
/// no answer and no evidence, by construction.
/// </summary>
/// <param name="SampleCriteria">The sample criteria in the scrutineer's words.</param>
/// <param name="SampleDraw">The filter the sample was drawn with, the sample and cohort sizes and the seed (<see cref="Audit.DescribeDraw"/>);
/// null when the sample was not drawn in the tool.</param>
/// <param name="Cases">Cases audited: the cases with at least one submitted return (a case whose returns never came in
/// was not audited). PRODUCT.md does not define the figure; issue 23 does.</param>
public sealed record ReportView(
    long AuditId,
    string Title,
    string Kind,
    string Status,
    string Purpose,
    string SampleCriteria,
    string? SampleDraw,
    DateTimeOffset? PublishedUtc,
    int Cases,
    int Returns,
    int SubmittedReturns,
    double? OverallRate,
    AgreementFigures Agreement,
    IReadOnlyList<ReportFinding> Strengths,
    IReadOnlyList<ReportFinding> Developments,
    IReadOnlyList<ReportAction> Actions,
    IReadOnlyList<QuestionChart> Questions,
    IReadOnlyList<RateBar> Agencies,
    IReadOnlyList<RateBar> Themes,
    string? BaselineTitle,
    IReadOnlyList<ChangeRow> QuestionChanges,
    IReadOnlyList<ChangeRow> ThemeChanges,
    IReadOnlyList<ReportAction> BaselineOpenActions)
{
    /// <summary>The question charts' figures, which the report page, the Word report's images and their tables draw
    /// (made from <see cref="Questions"/> when asked, so a copy with other questions has their figures).</summary>
    public IReadOnlyList<QuestionFigure> QuestionFigures => QuestionCharts.Figures(Questions, Thresholds);

    /// <summary>The audit's thresholds, drawn as lines on graded questions' charts.</summary>
    public Thresholds Thresholds { get; init; } = Thresholds.Default;

    /// <summary>The reliability of grades, per question and agency, figures only; null for readers who do not see it
    /// (executives, and the system's board report).</summary>
    public IReadOnlyList<ReportReliability>? Reliability { get; init; }

    /// <summary>Questions that share a key with the baseline's template but ask something else there: not compared.</summary>
    public IReadOnlyList<string> BaselineKeptApart { get; init; } = [];

    /// <summary>The audit's reliability threshold: a figure below it is flagged.</summary>
    public double ReliabilityThreshold { get; init; }

    /// <summary>Safeguarding concerns in counts only (the annual report's "Impact"): never a description.</summary>
    public Concerns.ConcernFigures Concerns { get; init; } = AuditTool.Domain.Concerns.ConcernFigures.None;
}

/// <summary>A reliability figure as the report shows it (<see cref="ReportView.Reliability"/>).</summary>
/// <param name="Agency">The agency's name, or "All agencies".</param>
public sealed record ReportReliability(string QuestionKey, string Question, string Measure, string Agency, ReliabilityFigure Figure);

public sealed record PublishedReport(long AuditId, string Title, string Kind, DateTimeOffset? PublishedUtc, int Cases, double? OverallRate);

public sealed class ReportService(
    IAuditRepository audits,
    FiguresService figures,
    IFindingRepository findings,
    IActionRepository actions,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock,
    AuditTool.Domain.Concerns.IConcernRepository concerns)
{
    public async Task<IReadOnlyList<PublishedReport>> ListAsync(Actor actor)
    {
        await access.RequireAsync(actor, "reports.list", Role.Scrutineer, Role.Manager, Role.Executive);
        var result = new List<PublishedReport>();
        foreach (var audit in (await audits.GetManyAsync()).Where(a => a.Status is AuditStatuses.Published or AuditStatuses.Closed))
        {
            var view = await figures.ComputeAsync(audit);
            result.Add(new PublishedReport(audit.Id, audit.Title, audit.Kind, audit.PublishedUtc, view.Figures.Cases.Count(c => c.Submitted > 0), view.Figures.OverallRate));
        }

        return result.OrderByDescending(r => r.PublishedUtc).ToList();
    }

    public async Task<ReportView> GetAsync(Actor actor, long auditId)
    {
        // The reliability of grades is for scrutineers and agency managers; an executive's report goes without it.
        var reader = await access.CurrentAsync(actor);
        var withReliability = reader?.Role is Role.Scrutineer or Role.Manager;
        var view = await figures.GetAsync(actor, auditId, withReliability);
        var f = view.Figures;
        var questions = view.Template.Questions.ToDictionary(q => q.Key);
        var rates = f.Questions.ToDictionary(q => q.Key, q => q.PositiveRate);
        var curated = await findings.GetByAuditAsync(auditId);
        var quotes = (await findings.GetQuotesByAuditAsync(auditId)).ToLookup(q => q.FindingId, q => q.Text);
        var findingTitles = curated.ToDictionary(x => x.Id, x => x.Title);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        ReportFinding ToReport(Finding x) => new(x.Kind, x.Title, x.Narrative,
            x.QuestionKeys.Where(questions.ContainsKey).Select(k => (questions[k].Text, rates.GetValueOrDefault(k))).ToList(),
            x.Themes.Select(t => DisplayNames.Theme(t, view.Template.ThemeNames)).ToList(),
            quotes[x.Id].ToList());

        ReportAction ToAction(AuditAction a) => new(a.Description,
            a.OwnerAgencyId is { } o && view.Agencies.TryGetValue(o, out var agency) ? agency.Name : null,
            a.DueDate, a.Status, a.IsOverdue(today), a.FindingId is { } fid ? findingTitles.GetValueOrDefault(fid) : null);

        var charts = f.Questions
            .Where(q => q.Classification is not (Classification.NoRate))
            .Select(q => QuestionCharts.For(q, view.Template.OptionsOf(questions[q.Key])))
            .ToList();
        var agencyBars = f.Agencies
            .Select(a => new RateBar(view.Agencies.TryGetValue(a.AgencyId, out var agency) ? agency.Name : $"Agency {a.AgencyId}", a.OverallRate,
                $"{a.Submitted} of {a.Returns} returns submitted"))
            .ToList();
        var themeBars = f.Themes.Select(t => new RateBar(DisplayNames.Theme(t.Theme, view.Template.ThemeNames), t.Rate, t.QuestionKeys.Count == 1 ? "1 question" : $"{t.QuestionKeys.Count} questions")).ToList();
        var questionChanges = view.Baseline?.Questions
            .Where(c => c.BaselineRate is not null || c.NowRate is not null)
            .Select(c => new ChangeRow(questions.TryGetValue(c.Key, out var q) ? q.Text : c.Key, c.BaselineRate, c.NowRate, c.ChangePoints))
            .ToList() ?? [];
        var themeChanges = view.Baseline?.Themes.Select(c => new ChangeRow(DisplayNames.Theme(c.Key, view.Template.ThemeNames), c.BaselineRate, c.NowRate, c.ChangePoints)).ToList() ?? [];
        var audit = view.Audit;
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName, "read", "report",
            auditId.ToString(), null, null));
        return new ReportView(audit.Id, audit.Title, audit.Kind, audit.Status, audit.Purpose, audit.SampleCriteriaText, audit.DescribeDraw(), audit.PublishedUtc,
            f.Cases.Count(c => c.Submitted > 0), f.Returns, f.SubmittedReturns, f.OverallRate, f.Agreement.Overall,
            curated.Where(x => x.Kind == FindingKinds.Strength).Select(ToReport).ToList(),
            curated.Where(x => x.Kind == FindingKinds.Development).Select(ToReport).ToList(),
            (await actions.GetByAuditAsync(auditId)).Select(ToAction).ToList(),
            charts, agencyBars, themeBars, view.BaselineTitle, questionChanges, themeChanges,
            view.BaselineOpenActions.Select(ToAction).ToList())
        {
            BaselineKeptApart = view.BaselineKeptApart,
            Reliability = withReliability ? ReliabilityOf(view) : null,
            ReliabilityThreshold = audit.Thresholds.Reliability,
            Thresholds = audit.Thresholds,
            Concerns = AuditTool.Domain.Concerns.ConcernFigures.From(await concerns.GetManyAsync(auditId)),
        };
    }

    private static List<ReportReliability> ReliabilityOf(FiguresView view) =>
        ReliabilityRow.Of(view.Figures.Reliability ?? [])
            .Select(r => new ReportReliability(r.QuestionKey, r.QuestionText, r.Measure,
                r.AgencyId is { } id ? view.Agencies.TryGetValue(id, out var a) ? a.Name : $"Agency {id}" : "All agencies", r.Figure))
            .ToList();
}
