namespace AuditTool.Domain.Templates;

public enum TemplateStatus
{
    Draft,
    Published,
}

public sealed record TemplateVersionSummary(long Id, int Version, TemplateStatus Status, DateTimeOffset CreatedUtc,
    DateTimeOffset? PublishedUtc, int QuestionCount);

public sealed record TemplateSummary(long Id, string Key, string Title, bool IsRetired, IReadOnlyList<TemplateVersionSummary> Versions)
{
    public TemplateVersionSummary? Draft => Versions.LastOrDefault(v => v.Status == TemplateStatus.Draft);

    public TemplateVersionSummary? LatestPublished => Versions.LastOrDefault(v => v.Status == TemplateStatus.Published);
}

/// <summary>Where a version sits: its template, number and status.</summary>
public sealed record TemplateVersionInfo(long Id, long TemplateId, string Key, int Version, TemplateStatus Status, bool IsRetired);

public interface ITemplateRepository
{
    Task<IReadOnlyList<TemplateSummary>> GetSummariesAsync();

    Task<TemplateSummary?> GetSummaryAsync(long templateId);

    /// <summary>A version's content: a published version from its rows, a draft from its working document.</summary>
    Task<TemplateDefinition?> GetVersionAsync(long versionId);

    /// <summary>A published version already read (they never change, so once read they are kept); null when it has not
    /// been read yet, or is a draft. Costs no round trip: for work that must not open a connection while it holds one.</summary>
    TemplateDefinition? GetKeptVersion(long versionId) => null;

    Task<TemplateVersionInfo?> GetVersionInfoAsync(long versionId);

    Task<long?> GetVersionIdAsync(string key, int version);

    Task<long?> GetTemplateIdAsync(string key);

    /// <summary>Stores a whole version (and its template, when the key is new) in one transaction.</summary>
    Task<long> CreateVersionAsync(TemplateDefinition template, TemplateStatus status, DateTimeOffset nowUtc);

    /// <summary>Replaces a draft's working document; false when the version is not (or no longer) a draft.</summary>
    Task<bool> SaveDraftAsync(long versionId, TemplateDefinition draft, DateTimeOffset nowUtc);

    /// <summary>Writes the draft out as sections and questions and marks it published; false when it is not a draft.</summary>
    Task<bool> PublishAsync(long versionId, TemplateDefinition template, DateTimeOffset nowUtc);

    Task<bool> DeleteDraftAsync(long versionId);

    Task SetRetiredAsync(long templateId, DateTimeOffset? retiredUtc);

    /// <summary>The questions of other templates' published versions that use one of <paramref name="keys"/>: one row per
    /// template, key and text (a key whose text changed between versions gives a row per text).</summary>
    Task<IReadOnlyList<KeyUse>> GetPublishedUsesAsync(string exceptTemplateKey, IReadOnlyCollection<string> keys);
}

/// <summary>A question key as another template uses it: the template, the key and the question's text there.</summary>
public sealed record KeyUse(string TemplateKey, string TemplateTitle, string QuestionKey, string Text);
