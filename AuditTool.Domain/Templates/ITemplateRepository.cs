namespace AuditTool.Domain.Templates;

public enum TemplateStatus
{
    Draft,
    Published,
}

public sealed record TemplateVersionSummary(long Id, int Version, TemplateStatus Status, DateTimeOffset CreatedUtc,
    DateTimeOffset? PublishedUtc, int QuestionCount);

public sealed record TemplateSummary(long Id, string Key, string Title, bool IsRetired, IReadOnlyList<TemplateVersionSummary> Versions);

public interface ITemplateRepository
{
    Task<IReadOnlyList<TemplateSummary>> GetSummariesAsync();

    Task<TemplateDefinition?> GetVersionAsync(long versionId);

    Task<long?> GetVersionIdAsync(string key, int version);

    /// <summary>Stores a template version (and its template, when the key is new) in one transaction.</summary>
    Task<long> CreateVersionAsync(TemplateDefinition template, TemplateStatus status, DateTimeOffset nowUtc);
}
