using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Templates;

public sealed record TemplateImportResult(long VersionId, string Key, int Version, bool Created);

/// <summary>Lists templates and imports template files. Scrutineers design; the command line acts as the system.</summary>
public sealed class TemplateLibraryService(ITemplateRepository templates, AccessPolicy access, IAuditLog log, TimeProvider clock)
{
    public async Task<IReadOnlyList<TemplateSummary>> GetSummariesAsync(Actor actor)
    {
        await access.RequireAsync(actor, "templates.list", Role.Scrutineer);
        return await templates.GetSummariesAsync();
    }

    /// <summary>
    /// Reads, validates and stores a template file as a published version. Problems name the JSON path or the rule;
    /// nothing is stored unless the whole file is valid. An identical key and version already present is skipped.
    /// </summary>
    public async Task<TemplateImportResult> ImportAsync(Actor actor, string json)
    {
        await access.RequireAsync(actor, "templates.import", Role.Scrutineer);
        if (json.Length > TemplateJson.MaxFileBytes)
        {
            throw new TemplateFormatException([$"$: the file is larger than {TemplateJson.MaxFileBytes / 1024 / 1024} MB."]);
        }

        var template = TemplateJson.Parse(json);
        var problems = TemplateValidator.Validate(template);
        if (problems.Count > 0)
        {
            throw new TemplateFormatException(problems);
        }

        if (await templates.GetVersionIdAsync(template.Key, template.Version) is { } existing)
        {
            var stored = await templates.GetVersionAsync(existing);
            if (stored is not null && TemplateJson.SameContent(stored, template))
            {
                return new TemplateImportResult(existing, template.Key, template.Version, Created: false);
            }

            throw new TemplateFormatException([$"$.version: version {template.Version} of \"{template.Key}\" already exists with " +
                "different content. A stored version never changes: give the file a new version number."]);
        }

        var now = clock.GetUtcNow();
        var id = await templates.CreateVersionAsync(template, TemplateStatus.Published, now);
        await log.WriteAsync(new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "import",
            "template-version", id.ToString(), null, $"{template.Key} v{template.Version}"));
        return new TemplateImportResult(id, template.Key, template.Version, Created: true);
    }
}
