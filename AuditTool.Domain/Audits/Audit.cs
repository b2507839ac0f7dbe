using AuditTool.Domain.Sampling;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Audits;

/// <param name="Reliability">Krippendorff's alpha or weighted kappa below this share is flagged (PRODUCT.md, "Reliability
/// of grades"); 0.67 is the level below which Krippendorff would discard data as unreliable.</param>
public sealed record Thresholds(double Strength = 0.80, double Development = 0.60, int MinimumCount = 5, double Reliability = 0.67)
{
    public static Thresholds Default { get; } = new();

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Strength is < 0 or > 1 || Development is < 0 or > 1)
        {
            problems.Add("Thresholds are shares between 0 and 1 (for example 0.80 for 80%).");
        }
        else if (Development > Strength)
        {
            problems.Add("The development threshold cannot be above the strength threshold.");
        }

        if (Reliability is < 0 or > 1 || double.IsNaN(Reliability))
        {
            problems.Add("The reliability threshold is a share between 0 and 1 (for example 0.67).");
        }

        if (MinimumCount < 1)
        {
            problems.Add("The minimum count is at least 1.");
        }

        return problems;
    }
}

/// <summary>An audit or deep dive: its plan, where it is in the cycle, and how its sample was drawn.</summary>
public sealed class Audit
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4000;

    private Audit()
    {
        Title = string.Empty;
        Kind = AuditKinds.MultiAgency;
        Status = AuditStatuses.Planning;
        Purpose = string.Empty;
        SampleCriteriaText = string.Empty;
        Thresholds = Thresholds.Default;
    }

    public long Id { get; private set; }

    public string Title { get; private set; }

    public string Kind { get; private set; }

    public long TemplateVersionId { get; private set; }

    public long? BaselineAuditId { get; private set; }

    public string Purpose { get; private set; }

    /// <summary>The sample criteria in words, as the scrutineer wrote them in the plan. A draw never changes them.</summary>
    public string SampleCriteriaText { get; private set; }

    /// <summary>The machine filter the sample was drawn with (JSON), when it was drawn in the tool: recorded beside the words.</summary>
    public string? SampleCriteriaJson { get; private set; }

    public long? SampleSeed { get; private set; }

    public int? SampleSize { get; private set; }

    public int? CohortSize { get; private set; }

    public string? CohortFile { get; private set; }

    public DateOnly? Deadline { get; private set; }

    public Thresholds Thresholds { get; private set; }

    public string Status { get; private set; }

    public long? CreatedBy { get; private set; }

    public DateTimeOffset CreatedUtc { get; private set; }

    public DateTimeOffset UpdatedUtc { get; private set; }

    public const string ChangedMeanwhile = "Someone else changed this audit meanwhile: reload the page and try again.";

    /// <summary>The audit's version as it was read: a save is refused if another was made since (no change undoes another).</summary>
    public DateTimeOffset? ReadVersion { get; private set; }

    public DateTimeOffset? PublishedUtc { get; private set; }

    /// <summary>Returns can be edited only while the audit is open.</summary>
    public bool AcceptsAnswers => Status == AuditStatuses.Open;

    /// <summary>From moderation on, auditors see the other agencies' returns of the cases they audited.</summary>
    public bool IsRevealed => Status is AuditStatuses.Moderation or AuditStatuses.Published or AuditStatuses.Closed;

    public static Audit Create(AuditPlan plan, long templateVersionId, long? createdBy, DateTimeOffset now)
    {
        var problems = plan.Problems();
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var audit = new Audit { TemplateVersionId = templateVersionId, CreatedBy = createdBy, CreatedUtc = now };
        audit.Apply(plan, now);
        return audit;
    }

    public static Audit Load(long id, string title, string kind, long templateVersionId, long? baselineAuditId, string purpose,
        string sampleCriteriaText, string? sampleCriteriaJson, long? sampleSeed, int? sampleSize, int? cohortSize, string? cohortFile,
        DateOnly? deadline, Thresholds thresholds, string status, long? createdBy, DateTimeOffset createdUtc, DateTimeOffset updatedUtc,
        DateTimeOffset? publishedUtc) => new()
    {
        Id = id,
        Title = title,
        Kind = kind,
        TemplateVersionId = templateVersionId,
        BaselineAuditId = baselineAuditId,
        Purpose = purpose,
        SampleCriteriaText = sampleCriteriaText,
        SampleCriteriaJson = sampleCriteriaJson,
        SampleSeed = sampleSeed,
        SampleSize = sampleSize,
        CohortSize = cohortSize,
        CohortFile = cohortFile,
        Deadline = deadline,
        Thresholds = thresholds,
        Status = status,
        CreatedBy = createdBy,
        CreatedUtc = createdUtc,
        UpdatedUtc = updatedUtc,
        ReadVersion = updatedUtc,
        PublishedUtc = publishedUtc,
    };

    public void Apply(AuditPlan plan, DateTimeOffset now)
    {
        var problems = plan.Problems();
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        Title = plan.Title.Trim();
        Kind = plan.Kind;
        BaselineAuditId = plan.Kind == AuditKinds.FollowUp ? plan.BaselineAuditId : null;
        Purpose = plan.Purpose?.Trim() ?? string.Empty;
        SampleCriteriaText = plan.SampleCriteria?.Trim() ?? string.Empty;
        Deadline = plan.Deadline;
        Thresholds = plan.Thresholds;
        UpdatedUtc = now;
    }

    /// <summary>Records how the sample was drawn. The scrutineer's words (<see cref="SampleCriteriaText"/>) stay as written.</summary>
    public void RecordSample(string criteriaJson, long seed, int size, int cohortSize, string? cohortFile, DateTimeOffset now)
    {
        SampleCriteriaJson = criteriaJson;
        SampleSeed = seed;
        SampleSize = size;
        CohortSize = cohortSize;
        CohortFile = cohortFile;
        UpdatedUtc = now;
    }

    /// <summary>
    /// The draw in words, for "Filter used for the draw: ...": the filter, how many of the cohort's cases were asked for,
    /// and the seed, e.g. <c>plan type equals "CP", 8 of 40 cases, seed 20261101</c>. Null until a sample is drawn.
    /// </summary>
    public string? DescribeDraw()
    {
        if (SampleCriteriaJson is not { } json || SampleSize is not > 0 || SampleSeed is not { } seed)
        {
            return null;
        }

        string filter;
        try
        {
            filter = CriteriaRules.Describe(CriteriaRules.FromJson(json));
        }
        catch (CohortException)
        {
            // An imported package's rules that this version cannot read: say so rather than show nothing.
            filter = "recorded criteria this version cannot read";
        }

        return $"{filter}, {SampleSize} of {CohortSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} cases, seed {seed}";
    }

    /// <summary>The audit as it is now is the one saved: the next save is checked against this version.</summary>
    public void MarkSaved() => ReadVersion = UpdatedUtc;

    public void MoveTo(string status, DateTimeOffset now)
    {
        if (!AuditStatuses.CanMove(Status, status))
        {
            throw new DomainValidationException($"An audit cannot move from {AuditStatuses.Label(Status).ToLowerInvariant()} to {AuditStatuses.Label(status).ToLowerInvariant()}.");
        }

        Status = status;
        UpdatedUtc = now;
        if (status == AuditStatuses.Published)
        {
            PublishedUtc = now;
        }
    }
}

/// <summary>What the scrutineer plans: everything about an audit except its cases and returns.</summary>
public sealed record AuditPlan(
    string Title,
    string Kind,
    string? Purpose,
    string? SampleCriteria,
    DateOnly? Deadline,
    Thresholds Thresholds,
    long? BaselineAuditId = null)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            problems.Add("Give the audit a title.");
        }
        else if (Title.Trim().Length > Audit.MaxTitleLength)
        {
            problems.Add($"A title is at most {Audit.MaxTitleLength} characters.");
        }

        if (!AuditKinds.All.Contains(Kind))
        {
            problems.Add("Choose the kind of audit: deep dive, multi-agency audit or follow-up audit.");
        }

        if (Kind == AuditKinds.FollowUp && BaselineAuditId is null)
        {
            problems.Add("A follow-up audit names the baseline audit it follows up.");
        }

        if ((Purpose?.Length ?? 0) > Audit.MaxTextLength || (SampleCriteria?.Length ?? 0) > Audit.MaxTextLength)
        {
            problems.Add($"The purpose and the sample criteria are at most {Audit.MaxTextLength} characters each.");
        }

        problems.AddRange(Thresholds.Problems());
        return problems;
    }
}
