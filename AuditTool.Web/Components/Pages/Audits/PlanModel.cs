using AuditTool.Domain.Audits;
using AuditTool.Web.Components.Shared;

namespace AuditTool.Web.Components.Pages.Audits;

/// <summary>The plan form's mutable state.</summary>
public sealed class PlanModel
{
    public string Title { get; set; } = string.Empty;

    public string Kind { get; set; } = AuditKinds.MultiAgency;

    public long? TemplateVersionId { get; set; }

    public long? BaselineAuditId { get; set; }

    public string Purpose { get; set; } = string.Empty;

    public string SampleCriteria { get; set; } = string.Empty;

    public DateOnly? Deadline { get; set; }

    public double Strength { get; set; } = 0.8;

    public double Development { get; set; } = 0.6;

    public int MinimumCount { get; set; } = 5;

    public double Reliability { get; set; } = Thresholds.Default.Reliability;

    public HashSet<long> AgencyIds { get; set; } = [];

    public static PlanModel From(Audit a, IEnumerable<long> agencyIds) => new()
    {
        Title = a.Title,
        Kind = a.Kind,
        TemplateVersionId = a.TemplateVersionId,
        BaselineAuditId = a.BaselineAuditId,
        Purpose = a.Purpose,
        SampleCriteria = a.SampleCriteriaText,
        Deadline = a.Deadline,
        Strength = a.Thresholds.Strength,
        Development = a.Thresholds.Development,
        MinimumCount = a.Thresholds.MinimumCount,
        Reliability = a.Thresholds.Reliability,
        AgencyIds = agencyIds.ToHashSet(),
    };

    /// <summary>The plan form's fields in screen order, each with the rule that tells the service's messages about it.</summary>
    public static readonly IReadOnlyList<(string Field, Func<string, bool> Matches)> Fields =
    [
        ("plan-title", FieldProblems.Mentions("title")),
        ("plan-kind", FieldProblems.Mentions("kind of audit")),
        ("plan-deadline", FieldProblems.Mentions("deadline")),
        ("plan-template", FieldProblems.Mentions("template")),
        ("plan-baseline", FieldProblems.Mentions("baseline")),
        ("plan-purpose", FieldProblems.Mentions("purpose")),
        ("plan-strength", FieldProblems.Mentions("Thresholds are shares")),
        ("plan-development", FieldProblems.Mentions("development threshold")),
        ("plan-minimum", FieldProblems.Mentions("minimum count")),
        ("plan-reliability", FieldProblems.Mentions("reliability threshold")),
        ("plan-agencies", FieldProblems.Mentions("agenc")),
    ];

    public AuditPlan ToPlan() => new(Title, Kind, Purpose, SampleCriteria, Deadline,
        new Thresholds(Strength, Development, MinimumCount, Reliability), Kind == AuditKinds.FollowUp ? BaselineAuditId : null);
}
