using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Templates;

public sealed record TemplateVersionView(TemplateVersionInfo Info, TemplateDefinition Definition);

public sealed record VersionHistoryEntry(TemplateVersionSummary Version, TemplateDiff? ChangesFromPrevious);

public sealed record TemplateFile(string FileName, string Json);

/// <summary>
/// The scrutineer's template designer: drafts are edited freely; publishing validates and freezes a version for good;
/// a new version starts as a copy of the latest published one, keeping every question key.
/// </summary>
public sealed class TemplateDesignService(ITemplateRepository templates, AccessPolicy access, IAuditLog log, TimeProvider clock)
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 4000;

    public async Task<long> CreateAsync(Actor actor, string key, string title)
    {
        await RequireAsync(actor, "templates.create");
        var problems = new List<string>();
        key = (key ?? string.Empty).Trim();
        if (!TemplateValidator.IsKey(key) || key.Length > 64)
        {
            problems.Add("A template key is up to 64 lowercase letters, digits and hyphens, such as \"step-down\".");
        }
        else if (await templates.GetTemplateIdAsync(key) is not null)
        {
            problems.Add($"A template with the key \"{key}\" already exists: open it and make a new version instead.");
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add("Give the template a title.");
        }
        else if (title.Trim().Length > MaxTitleLength)
        {
            problems.Add($"A title is at most {MaxTitleLength} characters.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var draft = new TemplateDefinition(key, 1, title!.Trim(), string.Empty, new Dictionary<string, IReadOnlyList<ScaleOption>>(), []);
        var id = await templates.CreateVersionAsync(draft, TemplateStatus.Draft, clock.GetUtcNow());
        await WriteLogAsync(actor, "create", id, null, $"{key} v1 (draft)");
        return id;
    }

    public async Task<TemplateVersionView> GetVersionAsync(Actor actor, long versionId)
    {
        await RequireAsync(actor, "templates.read");
        var info = await templates.GetVersionInfoAsync(versionId) ?? throw new DomainValidationException("That template version does not exist.");
        var definition = await templates.GetVersionAsync(versionId) ?? throw new DomainValidationException("That template version does not exist.");
        return new TemplateVersionView(info, definition);
    }

    /// <summary>Saves the whole working document of a draft. A published version is refused: it never changes.</summary>
    public async Task SaveDraftAsync(Actor actor, long versionId, TemplateDefinition draft)
    {
        await RequireAsync(actor, "templates.save-draft");
        var info = await DraftInfoAsync(versionId);
        var problems = new List<string>();
        if (draft.Title.Length > MaxTitleLength)
        {
            problems.Add($"A title is at most {MaxTitleLength} characters.");
        }

        if (draft.Description.Length > MaxDescriptionLength)
        {
            problems.Add($"A description is at most {MaxDescriptionLength} characters.");
        }

        problems.AddRange(TemplateValidator.ThemeNameProblems(draft));

        // The key and number belong to the version, whatever the form sent.
        var stored = draft with { Key = info.Key, Version = info.Version };
        if (TemplateJson.Write(stored).Length > TemplateJson.MaxFileBytes)
        {
            problems.Add($"The template is larger than {TemplateJson.MaxFileBytes / 1024 / 1024} MB.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        if (!await templates.SaveDraftAsync(versionId, stored, clock.GetUtcNow()))
        {
            throw PublishedRefusal();
        }

        await WriteLogAsync(actor, "update", versionId, null, $"{info.Key} v{info.Version} draft: {stored.Sections.Count} sections, {stored.Questions.Count()} questions");
    }

    /// <summary>The problems that would stop a draft from being published (empty when it is ready).</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(Actor actor, long versionId)
    {
        var view = await GetVersionAsync(actor, versionId);
        return TemplateValidator.Validate(view.Definition);
    }

    /// <summary>
    /// Warnings (they do not stop publishing) for the draft's question keys that another template's published version
    /// uses for a question with different words: trends and baseline comparisons join answers by key, so the author
    /// should give the question a key of its own unless it asks the same thing.
    /// </summary>
    public async Task<IReadOnlyList<string>> SameKeyWarningsAsync(Actor actor, long versionId)
    {
        var view = await GetVersionAsync(actor, versionId);
        var questions = view.Definition.Questions.GroupBy(q => q.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First());
        var uses = await templates.GetPublishedUsesAsync(view.Info.Key, questions.Keys.ToList());
        return uses
            .Where(u => questions.TryGetValue(u.QuestionKey, out var q) && !QuestionDefinition.SameWords(q.Text, u.Text))
            .Select(u => $"The key \"{u.QuestionKey}\" (\"{questions[u.QuestionKey].Text}\") is used by the template " +
                         $"“{u.TemplateTitle}” for a different question: \"{u.Text}\". Trends and comparisons keep questions with " +
                         "different words apart, so give this question a key of its own unless it asks the same thing.")
            .ToList();
    }

    public async Task PublishAsync(Actor actor, long versionId)
    {
        await RequireAsync(actor, "templates.publish");
        var info = await DraftInfoAsync(versionId);
        var draft = await templates.GetVersionAsync(versionId) ?? throw new DomainValidationException("That template version does not exist.");
        var problems = TemplateValidator.Validate(draft);
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        if (!await templates.PublishAsync(versionId, draft, clock.GetUtcNow()))
        {
            throw PublishedRefusal();
        }

        await WriteLogAsync(actor, "publish", versionId, "draft", $"{info.Key} v{info.Version} published");
    }

    /// <summary>Starts the next version as a draft copy of the latest published one; an existing draft is returned instead.</summary>
    public async Task<long> NewVersionAsync(Actor actor, long templateId)
    {
        await RequireAsync(actor, "templates.new-version");
        var summary = await templates.GetSummaryAsync(templateId) ?? throw new DomainValidationException("That template does not exist.");
        if (summary.Draft is { } draft)
        {
            return draft.Id;
        }

        var latest = summary.LatestPublished ?? throw new DomainValidationException("The template has no published version to copy.");
        var source = await templates.GetVersionAsync(latest.Id) ?? throw new DomainValidationException("That template version does not exist.");
        var next = source with { Version = summary.Versions.Max(v => v.Version) + 1 };
        var id = await templates.CreateVersionAsync(next, TemplateStatus.Draft, clock.GetUtcNow());
        await WriteLogAsync(actor, "create", id, $"{summary.Key} v{latest.Version}", $"{summary.Key} v{next.Version} (draft copy)");
        return id;
    }

    public async Task DiscardDraftAsync(Actor actor, long versionId)
    {
        await RequireAsync(actor, "templates.discard-draft");
        var info = await DraftInfoAsync(versionId);
        if (!await templates.DeleteDraftAsync(versionId))
        {
            throw new DomainValidationException("This draft cannot be discarded.");
        }

        await WriteLogAsync(actor, "delete", versionId, $"{info.Key} v{info.Version} (draft)", null);
    }

    public async Task SetRetiredAsync(Actor actor, long templateId, bool retired)
    {
        await RequireAsync(actor, retired ? "templates.retire" : "templates.reinstate");
        var summary = await templates.GetSummaryAsync(templateId) ?? throw new DomainValidationException("That template does not exist.");
        await templates.SetRetiredAsync(templateId, retired ? clock.GetUtcNow() : null);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), Who(actor), actor.UserName, retired ? "retire" : "reinstate",
            "template", templateId.ToString(), summary.IsRetired ? "retired" : "in use", retired ? "retired" : "in use"));
    }

    public async Task<IReadOnlyList<VersionHistoryEntry>> GetHistoryAsync(Actor actor, long templateId)
    {
        await RequireAsync(actor, "templates.history");
        var summary = await templates.GetSummaryAsync(templateId) ?? throw new DomainValidationException("That template does not exist.");
        var history = new List<VersionHistoryEntry>();
        TemplateDefinition? previous = null;
        foreach (var version in summary.Versions)
        {
            var definition = await templates.GetVersionAsync(version.Id);
            history.Add(new VersionHistoryEntry(version, previous is null || definition is null ? null : TemplateDiff.Compare(previous, definition)));
            previous = definition ?? previous;
        }

        return history;
    }

    public async Task<TemplateFile> ExportAsync(Actor actor, long versionId)
    {
        var view = await GetVersionAsync(actor, versionId);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), Who(actor), actor.UserName, "export", "template-version",
            versionId.ToString(), null, $"{view.Info.Key} v{view.Info.Version}"));
        return new TemplateFile($"{view.Info.Key}-v{view.Info.Version}.json", TemplateJson.Write(view.Definition));
    }

    private async Task<TemplateVersionInfo> DraftInfoAsync(long versionId)
    {
        var info = await templates.GetVersionInfoAsync(versionId) ?? throw new DomainValidationException("That template version does not exist.");
        return info.Status == TemplateStatus.Draft ? info : throw PublishedRefusal();
    }

    private static DomainValidationException PublishedRefusal() =>
        new("This version is published and can no longer be changed. Make a new version to change the template.");

    private Task RequireAsync(Actor actor, string what) => access.RequireAsync(actor, what, Role.Scrutineer);

    private Task WriteLogAsync(Actor actor, string action, long versionId, string? before, string? after) =>
        log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), Who(actor), actor.UserName, action, "template-version",
            versionId.ToString(), before, after));

    private static long? Who(Actor actor) => actor.IsSystem ? null : actor.UserId;

}
