using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Packages;

/// <summary>An audit as one <c>audittool.audit/v1</c> document: moved between instances, archived, bulk-loaded.</summary>
public sealed record AuditPackage(
    PackageAudit Audit,
    TemplateDefinition Template,
    IReadOnlyList<PackageAgency> Agencies,
    IReadOnlyList<PackageCase> Cases,
    IReadOnlyList<PackageReturn> Returns,
    IReadOnlyList<PackageModeration> Moderation,
    IReadOnlyList<PackageFinding> Findings,
    IReadOnlyList<PackageAction> Actions)
{
    public const string Format = "audittool.audit/v1";

    /// <summary>The safeguarding concerns raised on the audit's cases, with their steps (names and times, no account ids).</summary>
    public IReadOnlyList<Concerns.PackagedConcern> Concerns { get; init; } = [];
}

public sealed record PackageAudit(
    string Title,
    string Kind,
    string Purpose,
    string SampleCriteria,
    Thresholds Thresholds,
    string? BaselineTitle,
    string? Status,
    DateOnly? Deadline,
    long? SampleSeed,
    int? SampleSize,
    int? CohortSize,
    string? SampleCriteriaJson)
{
    /// <summary>When a published or closed audit was published (null: the import publishes it then).</summary>
    public DateTimeOffset? PublishedUtc { get; init; }
}

public sealed record PackageAgency(string Key, string Name, string Kind);

public sealed record PackageCase(string Ref, IReadOnlyDictionary<string, string> Attributes);

/// <summary>Answers hold a string, or a list of strings for multichoice (numbers as invariant text).</summary>
public sealed record PackageReturn(
    string Case,
    string Agency,
    string Status,
    IReadOnlyDictionary<string, object?> Answers,
    IReadOnlyDictionary<string, string> Evidence,
    string? ReturnedComment);

public sealed record PackageModeration(string Case, string Question, string Value, string Rationale);

public sealed record PackageFinding(string Kind, string Title, string Narrative, IReadOnlyList<string> Questions, IReadOnlyList<string> Themes);

public sealed record PackageAction(string Description, string? OwnerAgency, DateOnly? Due, string Status, int? Finding);

/// <summary>A package that could not be imported: every problem names its JSON path. Nothing was saved.</summary>
public sealed class AuditPackageException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Reads and writes whole packages in one transaction each.</summary>
public interface IAuditPackageStore
{
    /// <summary>Writes a validated package as a new audit (and any agency or template version it brings) in one transaction.</summary>
    Task<long> ImportAsync(AuditPackage package, long? baselineAuditId, long? userId, DateTimeOffset now);

    Task<IReadOnlyList<PackageModeration>> GetModerationAsync(long auditId);

    Task<IReadOnlyList<PackageFinding>> GetFindingsAsync(long auditId);

    Task<IReadOnlyList<PackageAction>> GetActionsAsync(long auditId);

    Task<IReadOnlyList<Concerns.PackagedConcern>> GetConcernsAsync(long auditId);

    /// <summary>Audits with this exact title (to resolve a package's baseline).</summary>
    Task<IReadOnlyList<long>> FindAuditsByTitleAsync(string title);
}

/// <summary>The <c>measure</c> of an entry of the package's <c>figures.reliability</c>.</summary>
public static class PackageMeasures
{
    public const string Alpha = "krippendorff-alpha-ordinal";

    public const string Kappa = "weighted-kappa-quadratic";
}
