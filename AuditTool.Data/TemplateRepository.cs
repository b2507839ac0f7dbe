using System.Data.Common;
using System.Text.Json;
using AuditTool.Domain.Templates;
using Dapper;

namespace AuditTool.Data;

public sealed class TemplateRepository(ConnectionFactory factory) : ITemplateRepository
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TemplateDefinition> _published = new();

    private const string SummarySql = """
        SELECT id AS Id, key AS Key, title AS Title, retired_utc AS RetiredUtc FROM templates {0} ORDER BY title;
        SELECT v.id AS Id, v.template_id AS TemplateId, v.version AS Version, v.status AS Status, v.title AS Title,
               v.created_utc AS CreatedUtc, v.published_utc AS PublishedUtc,
               (SELECT COUNT(*) FROM template_questions q WHERE q.template_version_id = v.id) AS QuestionCount,
               v.draft_json AS DraftJson
        FROM template_versions v {1} ORDER BY v.template_id, v.version;
        """;

    public async Task<IReadOnlyList<TemplateSummary>> GetSummariesAsync()
    {
        using var connection = await factory.OpenAsync();
        using var grid = await connection.QueryMultipleAsync(string.Format(SummarySql, "", ""));
        return await ReadSummariesAsync(grid);
    }

    public async Task<TemplateSummary?> GetSummaryAsync(long templateId)
    {
        using var connection = await factory.OpenAsync();
        using var grid = await connection.QueryMultipleAsync(
            string.Format(SummarySql, "WHERE id = @templateId", "WHERE v.template_id = @templateId"), new { templateId });
        return (await ReadSummariesAsync(grid)).SingleOrDefault();
    }

    public async Task<long?> GetVersionIdAsync(string key, int version)
    {
        using var connection = await factory.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>("""
            SELECT v.id FROM template_versions v JOIN templates t ON t.id = v.template_id
            WHERE t.key = @key AND v.version = @version
            """, new { key, version });
    }

    public async Task<IReadOnlyList<KeyUse>> GetPublishedUsesAsync(string exceptTemplateKey, IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<KeyUse>($"""
            SELECT DISTINCT t.key AS TemplateKey, t.title AS TemplateTitle, q.key AS QuestionKey, q.text AS Text
            FROM template_questions q
            JOIN template_versions v ON v.id = q.template_version_id
            JOIN templates t ON t.id = v.template_id
            WHERE v.status = 'published' AND t.key <> @exceptTemplateKey AND {factory.In("q.key", "keys")}
            ORDER BY t.key, q.key, q.text
            """, new { exceptTemplateKey, keys = keys.ToArray() });
        return rows.ToList();
    }

    public async Task<long?> GetTemplateIdAsync(string key)
    {
        using var connection = await factory.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT id FROM templates WHERE key = @key", new { key });
    }

    public async Task<TemplateVersionInfo?> GetVersionInfoAsync(long versionId)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<InfoRow>("""
            SELECT v.id AS Id, v.template_id AS TemplateId, t.key AS Key, v.version AS Version, v.status AS Status,
                   t.retired_utc AS RetiredUtc
            FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE v.id = @versionId
            """, new { versionId });
        return row is null
            ? null
            : new TemplateVersionInfo(row.Id, row.TemplateId, row.Key, (int)row.Version, ParseStatus(row.Status), row.RetiredUtc is not null);
    }

    public TemplateDefinition? GetKeptVersion(long versionId) => _published.GetValueOrDefault(versionId);

    public async Task<TemplateDefinition?> GetVersionAsync(long versionId)
    {
        // A published version never changes (editing makes a new draft version): once read, it is kept for good, on
        // every server. Drafts are read afresh each time.
        if (_published.TryGetValue(versionId, out var known))
        {
            return known;
        }

        var read = await ReadVersionAsync(versionId);
        if (read is { Published: true, Definition: { } definition })
        {
            _published[versionId] = definition;
        }

        return read?.Definition;
    }

    private async Task<(TemplateDefinition Definition, bool Published)?> ReadVersionAsync(long versionId)
    {
        using var connection = await factory.OpenAsync();
        using var grid = await connection.QueryMultipleAsync("""
            SELECT t.key AS Key, v.version AS Version, v.title AS Title, v.description AS Description, v.scales_json AS ScalesJson,
                   v.theme_names_json AS ThemeNamesJson, v.status AS Status, v.draft_json AS DraftJson
            FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE v.id = @versionId;
            SELECT id AS Id, key AS Key, title AS Title, guidance AS Guidance, agency_kinds AS AgencyKinds
            FROM template_sections WHERE template_version_id = @versionId ORDER BY position;
            SELECT section_id AS SectionId, key AS Key, text AS Text, guidance AS Guidance, type AS Type, scale AS Scale,
                   options_json AS OptionsJson, required AS Required, weight AS Weight, themes_json AS ThemesJson,
                   show_if_question AS ShowIfQuestion, show_if_values_json AS ShowIfValuesJson
            FROM template_questions WHERE template_version_id = @versionId ORDER BY position;
            """, new { versionId });
        var head = await grid.ReadSingleOrDefaultAsync<HeadRow>();
        if (head is null)
        {
            return null;
        }

        if (head.Status == "draft")
        {
            return (head.DraftJson is null
                ? new TemplateDefinition(head.Key, (int)head.Version, head.Title, head.Description, new Dictionary<string, IReadOnlyList<ScaleOption>>(), [])
                : TemplateJson.Parse(head.DraftJson), false);
        }

        var sections = (await grid.ReadAsync<SectionRow>()).ToList();
        var questions = (await grid.ReadAsync<QuestionRow>()).ToLookup(q => q.SectionId);
        return (new TemplateDefinition(
            head.Key,
            (int)head.Version,
            head.Title,
            head.Description,
            ScaleJson.ReadScales(head.ScalesJson),
            sections.Select(s => new SectionDefinition(s.Key, s.Title, s.Guidance, Strings(s.AgencyKinds),
                questions[s.Id].Select(q => q.ToDefinition()).ToList())).ToList())
        {
            ThemeNames = ThemeNamesJson.Read(head.ThemeNamesJson),
        }, true);
    }

    public async Task<long> CreateVersionAsync(TemplateDefinition template, TemplateStatus status, DateTimeOffset nowUtc)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var versionId = await InsertVersionAsync(connection, tx, template, status, Utc.Format(nowUtc));
        await tx.CommitAsync();
        return versionId;
    }

    /// <summary>Inserts a version (and its template when the key is new) inside the caller's transaction.</summary>
    internal static async Task<long> InsertVersionAsync(DbConnection connection, DbTransaction tx, TemplateDefinition template,
        TemplateStatus status, string now)
    {
        var templateId = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM templates WHERE key = @Key", new { template.Key }, tx)
            ?? await connection.ExecuteScalarAsync<long>(
                "INSERT INTO templates (key, title, created_utc) VALUES (@Key, @Title, @now) RETURNING id",
                new { template.Key, template.Title, now }, tx);

        // Stored as a draft first: the triggers refuse sections and questions for a published version.
        var versionId = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO template_versions (template_id, version, status, title, description, scales_json, theme_names_json, created_utc, draft_json)
            VALUES (@templateId, @Version, 'draft', @Title, @Description, @scales, @themeNames, @now, @draft)
            RETURNING id
            """,
            new
            {
                templateId,
                template.Version,
                template.Title,
                template.Description,
                scales = ScaleJson.WriteScales(template.Scales),
                themeNames = ThemeNamesJson.Write(template.ThemeNames),
                now,
                draft = status == TemplateStatus.Draft ? TemplateJson.Write(template) : null,
            },
            tx);

        if (status == TemplateStatus.Published)
        {
            await WriteOutAsync(connection, tx, versionId, template, now);
        }

        return versionId;
    }

    public async Task<bool> SaveDraftAsync(long versionId, TemplateDefinition draft, DateTimeOffset nowUtc)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.ExecuteAsync("""
            UPDATE template_versions SET draft_json = @json, title = @Title, description = @Description
            WHERE id = @versionId AND status = 'draft'
            """, new { versionId, json = TemplateJson.Write(draft), draft.Title, draft.Description });
        return rows == 1;
    }

    public async Task<bool> PublishAsync(long versionId, TemplateDefinition template, DateTimeOffset nowUtc)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var status = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT status FROM template_versions WHERE id = @versionId", new { versionId }, tx);
        if (status != "draft")
        {
            return false;
        }

        await connection.ExecuteAsync("""
            UPDATE template_versions SET title = @Title, description = @Description, scales_json = @scales, theme_names_json = @themeNames
            WHERE id = @versionId
            """, new { versionId, template.Title, template.Description, scales = ScaleJson.WriteScales(template.Scales), themeNames = ThemeNamesJson.Write(template.ThemeNames) }, tx);
        await WriteOutAsync(connection, tx, versionId, template, Utc.Format(nowUtc));
        await tx.CommitAsync();
        return true;
    }

    public async Task<bool> DeleteDraftAsync(long versionId)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var templateId = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT template_id FROM template_versions WHERE id = @versionId AND status = 'draft'", new { versionId }, tx);
        if (templateId is null)
        {
            return false;
        }

        await connection.ExecuteAsync("DELETE FROM template_versions WHERE id = @versionId", new { versionId }, tx);
        // A template whose only version was this draft goes with it.
        await connection.ExecuteAsync(
            "DELETE FROM templates WHERE id = @templateId AND NOT EXISTS (SELECT 1 FROM template_versions WHERE template_id = @templateId)",
            new { templateId }, tx);
        await tx.CommitAsync();
        return true;
    }

    public async Task SetRetiredAsync(long templateId, DateTimeOffset? retiredUtc)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("UPDATE templates SET retired_utc = @at WHERE id = @templateId",
            new { templateId, at = Utc.Format(retiredUtc) });
    }

    /// <summary>Writes a version's sections and questions, then marks it published (the last write the triggers allow).</summary>
    private static async Task WriteOutAsync(DbConnection connection, DbTransaction tx, long versionId, TemplateDefinition template, string now)
    {
        var position = 0;
        foreach (var (section, sectionPosition) in template.Sections.Select((s, i) => (s, i)))
        {
            var sectionId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO template_sections (template_version_id, position, key, title, guidance, agency_kinds)
                VALUES (@versionId, @sectionPosition, @Key, @Title, @Guidance, @kinds)
                RETURNING id
                """,
                new { versionId, sectionPosition, section.Key, section.Title, section.Guidance, kinds = JsonSerializer.Serialize(section.AgencyKinds) },
                tx);
            foreach (var q in section.Questions)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO template_questions (template_version_id, section_id, position, key, text, guidance, type, scale,
                        options_json, required, weight, themes_json, show_if_question, show_if_values_json)
                    VALUES (@versionId, @sectionId, @position, @Key, @Text, @Guidance, @type, @Scale, @options, @required,
                        @Weight, @themes, @showIfQuestion, @showIfValues)
                    """,
                    new
                    {
                        versionId,
                        sectionId,
                        position = position++,
                        q.Key,
                        q.Text,
                        q.Guidance,
                        type = q.Type.ToKey(),
                        Scale = q.Type == QuestionType.Scale ? q.Scale : null,
                        options = ScaleJson.WriteOptions(q.Type is QuestionType.Choice or QuestionType.MultiChoice ? q.Options : []),
                        required = q.Required ? 1 : 0,
                        q.Weight,
                        themes = JsonSerializer.Serialize(q.Themes),
                        showIfQuestion = q.ShowIf?.Question,
                        showIfValues = q.ShowIf is { } s ? JsonSerializer.Serialize(s.In) : null,
                    },
                    tx);
            }
        }

        await connection.ExecuteAsync(
            "UPDATE template_versions SET status = 'published', published_utc = @now, draft_json = NULL WHERE id = @versionId",
            new { versionId, now }, tx);
    }

    private static async Task<IReadOnlyList<TemplateSummary>> ReadSummariesAsync(SqlMapper.GridReader grid)
    {
        var templates = (await grid.ReadAsync<TemplateRow>()).ToList();
        var versions = (await grid.ReadAsync<VersionRow>()).ToLookup(v => v.TemplateId);
        return templates.Select(t =>
        {
            var own = versions[t.Id].ToList();
            var title = own.LastOrDefault()?.Title ?? t.Title;
            return new TemplateSummary(t.Id, t.Key, title, t.RetiredUtc is not null,
                own.Select(v => new TemplateVersionSummary(v.Id, (int)v.Version, ParseStatus(v.Status),
                    Utc.Parse(v.CreatedUtc), Utc.ParseOrNull(v.PublishedUtc),
                    v.DraftJson is null ? (int)v.QuestionCount : CountQuestions(v.DraftJson))).ToList());
        }).ToList();
    }

    private static int CountQuestions(string draftJson)
    {
        try
        {
            return TemplateJson.Parse(draftJson).Questions.Count();
        }
        catch (TemplateFormatException)
        {
            return 0;
        }
    }

    private static TemplateStatus ParseStatus(string status) => status == "published" ? TemplateStatus.Published : TemplateStatus.Draft;

    private static IReadOnlyList<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private sealed class TemplateRow
    {
        public long Id { get; set; }
        public string Key { get; set; } = string.Empty;
        public string Title { get; set; } = string.Empty;
        public string? RetiredUtc { get; set; }
    }

    private sealed class VersionRow
    {
        public long Id { get; set; }
        public long TemplateId { get; set; }
        public long Version { get; set; }
        public string Status { get; set; } = string.Empty;
        public string Title { get; set; } = string.Empty;
        public string CreatedUtc { get; set; } = string.Empty;
        public string? PublishedUtc { get; set; }
        public long QuestionCount { get; set; }
        public string? DraftJson { get; set; }
    }

    private sealed class InfoRow
    {
        public long Id { get; set; }
        public long TemplateId { get; set; }
        public string Key { get; set; } = string.Empty;
        public long Version { get; set; }
        public string Status { get; set; } = string.Empty;
        public string? RetiredUtc { get; set; }
    }

    private sealed class HeadRow
    {
        public string Key { get; set; } = string.Empty;
        public long Version { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;
        public string ScalesJson { get; set; } = string.Empty;
        public string ThemeNamesJson { get; set; } = "{}";
        public string Status { get; set; } = string.Empty;
        public string? DraftJson { get; set; }
    }

    private sealed class SectionRow
    {
        public long Id { get; set; }
        public string Key { get; set; } = string.Empty;
        public string Title { get; set; } = string.Empty;
        public string Guidance { get; set; } = string.Empty;
        public string AgencyKinds { get; set; } = string.Empty;
    }

    private sealed class QuestionRow
    {
        public long SectionId { get; set; }
        public string Key { get; set; } = string.Empty;
        public string Text { get; set; } = string.Empty;
        public string Guidance { get; set; } = string.Empty;
        public string Type { get; set; } = string.Empty;
        public string? Scale { get; set; }
        public string OptionsJson { get; set; } = string.Empty;
        public long Required { get; set; }
        public double Weight { get; set; }
        public string ThemesJson { get; set; } = string.Empty;
        public string? ShowIfQuestion { get; set; }
        public string? ShowIfValuesJson { get; set; }

        public QuestionDefinition ToDefinition() => new(
            Key, Text, Guidance,
            QuestionTypes.Parse(Type) ?? throw new InvalidDataException($"Unknown question type '{Type}'."),
            Scale,
            ScaleJson.ReadOptions(OptionsJson),
            Required != 0,
            Weight,
            Strings(ThemesJson),
            ShowIfQuestion is null ? null : new ShowIf(ShowIfQuestion, Strings(ShowIfValuesJson ?? "[]")));
    }
}

/// <summary>Scale options as stored in the database: the same shape as in the template file.</summary>
internal static class ScaleJson
{
    public static string WriteOptions(IReadOnlyList<ScaleOption> options) =>
        JsonSerializer.Serialize(options.Select(o => new OptionDto(o.Value, o.Label, o.Score, o.Polarity.ToKey())));

    public static IReadOnlyList<ScaleOption> ReadOptions(string json) =>
        (JsonSerializer.Deserialize<List<OptionDto>>(json) ?? [])
            .Select(o => new ScaleOption(o.value, o.label, o.score, QuestionTypes.ParsePolarity(o.polarity) ?? Polarity.Neutral))
            .ToList();

    public static string WriteScales(IReadOnlyDictionary<string, IReadOnlyList<ScaleOption>> scales) =>
        JsonSerializer.Serialize(scales.ToDictionary(s => s.Key,
            s => s.Value.Select(o => new OptionDto(o.Value, o.Label, o.Score, o.Polarity.ToKey())).ToList()));

    public static IReadOnlyDictionary<string, IReadOnlyList<ScaleOption>> ReadScales(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, List<OptionDto>>>(json) ?? [])
            .ToDictionary(s => s.Key, s => (IReadOnlyList<ScaleOption>)s.Value
                .Select(o => new ScaleOption(o.value, o.label, o.score, QuestionTypes.ParsePolarity(o.polarity) ?? Polarity.Neutral))
                .ToList());

#pragma warning disable IDE1006 // lower-case names match the file format
    private sealed record OptionDto(string value, string label, double? score, string polarity);
#pragma warning restore IDE1006
}

/// <summary>A template version's theme names as stored (<c>template_versions.theme_names_json</c>).</summary>
internal static class ThemeNamesJson
{
    public static string Write(IReadOnlyDictionary<string, string> names) =>
        System.Text.Json.JsonSerializer.Serialize(names.OrderBy(n => n.Key, StringComparer.Ordinal).ToDictionary(n => n.Key, n => n.Value));

    public static IReadOnlyDictionary<string, string> Read(string? json) =>
        string.IsNullOrWhiteSpace(json)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal);
}
