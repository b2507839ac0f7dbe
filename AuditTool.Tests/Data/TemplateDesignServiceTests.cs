using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Domain;
using AuditTool.Tests.Support;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Data;

public abstract class TemplateDesignServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static TemplateDefinition Content(string key) => new TemplateBuilder()
        .Section("seeing", null, Q("seen-alone"), Q("voice", showIf: new ShowIf("seen-alone", ["yes"])))
        .Section("school", ["education"], Q("attendance"))
        .Build(key);

    private async Task<(TestDatabase Db, Actor Scrutineer, long DraftId)> DraftAsync()
    {
        var db = NewDatabase();
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var id = await db.Get<TemplateDesignService>().CreateAsync(scrutineer, "neglect", "Neglect audit");
        await db.Get<TemplateDesignService>().SaveDraftAsync(scrutineer, id, Content("neglect") with { Title = "Neglect audit" });
        return (db, scrutineer, id);
    }

    [Fact]
    public async Task Draft_SavesAndReadsBack_WithKeyAndVersionFromTheStore()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;

        await db.Get<TemplateDesignService>().SaveDraftAsync(scrutineer, id, Content("forged-key") with { Version = 99, Title = "Renamed" });
        var view = await db.Get<TemplateDesignService>().GetVersionAsync(scrutineer, id);

        Assert.Equal(("neglect", 1, "Renamed"), (view.Definition.Key, view.Definition.Version, view.Definition.Title));
        Assert.Equal(["seen-alone", "voice", "attendance"], view.Definition.Questions.Select(q => q.Key));
        Assert.Equal(TemplateStatus.Draft, view.Info.Status);
    }

    [Fact]
    public async Task Draft_ThemeNames_AreSaved_AndAForgedNameTooLongOrForABadKeyIsRefusedChangingNothing()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;
        var design = db.Get<TemplateDesignService>();
        await design.SaveDraftAsync(scrutineer, id, Content("neglect") with { ThemeNames = new Dictionary<string, string> { ["voice-of-child"] = "The child's voice" } });

        var tooLong = Content("neglect") with { ThemeNames = new Dictionary<string, string> { ["voice-of-child"] = new string('x', TemplateDefinition.MaxThemeNameLength + 1) } };
        var badKey = Content("neglect") with { ThemeNames = new Dictionary<string, string> { ["Voice Of Child"] = "Voice" } };
        var blank = Content("neglect") with { ThemeNames = new Dictionary<string, string> { ["voice-of-child"] = "  " } };
        foreach (var forged in new[] { tooLong, badKey, blank })
        {
            var ex = await Assert.ThrowsAsync<DomainValidationException>(() => design.SaveDraftAsync(scrutineer, id, forged));
            Assert.Contains(ex.Problems, p => p.Contains("theme", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal("The child's voice", (await design.GetVersionAsync(scrutineer, id)).Definition.ThemeNames["voice-of-child"]);
    }

    [Fact]
    public async Task Publish_InvalidDraft_ListsTheProblems_AndStaysADraft()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;
        var broken = Content("neglect") with { Sections = [new SectionDefinition("s", "S", "", [], [Q("a", scale: "nope"), Q("a")])] };
        await db.Get<TemplateDesignService>().SaveDraftAsync(scrutineer, id, broken);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => db.Get<TemplateDesignService>().PublishAsync(scrutineer, id));

        Assert.Contains(ex.Problems, p => p.Contains("\"nope\" does not exist"));
        Assert.Contains(ex.Problems, p => p.Contains("unique"));
        Assert.Equal(TemplateStatus.Draft, (await db.Get<ITemplateRepository>().GetVersionInfoAsync(id))!.Status);
    }

    [Fact]
    public async Task PublishedVersion_CannotBeModified_ThroughAnyServiceCall()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;
        var design = db.Get<TemplateDesignService>();
        await design.PublishAsync(scrutineer, id);
        var before = TemplateJson.Write((await design.GetVersionAsync(scrutineer, id)).Definition);

        await Assert.ThrowsAsync<DomainValidationException>(() => design.SaveDraftAsync(scrutineer, id, Content("neglect") with { Title = "Changed" }));
        await Assert.ThrowsAsync<DomainValidationException>(() => design.PublishAsync(scrutineer, id));
        await Assert.ThrowsAsync<DomainValidationException>(() => design.DiscardDraftAsync(scrutineer, id));
        var changedFile = TemplateJson.Write(Content("neglect") with { Title = "Changed by import" });
        var import = await Assert.ThrowsAsync<TemplateFormatException>(() => db.Get<TemplateLibraryService>().ImportAsync(scrutineer, changedFile));

        Assert.Contains("already exists with different content", import.Message);
        Assert.Equal(before, TemplateJson.Write((await design.GetVersionAsync(scrutineer, id)).Definition));
    }

    [Fact]
    public async Task NewVersion_CopiesThePublishedVersion_KeepingEveryKey_AndHistoryShowsTheChanges()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;
        var design = db.Get<TemplateDesignService>();
        await design.PublishAsync(scrutineer, id);
        var templateId = (await db.Get<ITemplateRepository>().GetVersionInfoAsync(id))!.TemplateId;

        var v2 = await design.NewVersionAsync(scrutineer, templateId);
        var copy = (await design.GetVersionAsync(scrutineer, v2)).Definition;
        var edited = copy with
        {
            Sections =
            [
                copy.Sections[0] with { Questions = [copy.Sections[0].Questions[0] with { Text = "Was the child seen and spoken to alone?" }, copy.Sections[0].Questions[1]] },
                new SectionDefinition("overall-section", "Overall", "", [], [Q("overall", scale: "ofsted4")]),
            ],
        };
        await design.SaveDraftAsync(scrutineer, v2, edited);
        await design.PublishAsync(scrutineer, v2);
        var history = await design.GetHistoryAsync(scrutineer, templateId);

        Assert.Equal(2, copy.Version);
        Assert.Equal(["seen-alone", "voice", "attendance"], copy.Questions.Select(q => q.Key));
        var diff = history[1].ChangesFromPrevious!;
        Assert.Equal(["overall"], diff.Added);
        Assert.Equal(["attendance"], diff.Removed);
        Assert.Equal("seen-alone", Assert.Single(diff.Reworded).Key);
        Assert.Null(history[0].ChangesFromPrevious);
    }

    [Fact]
    public async Task NewVersion_WhenADraftExists_ReturnsThatDraft()
    {
        var (db, scrutineer, id) = await DraftAsync();
        using var _ = db;
        var design = db.Get<TemplateDesignService>();
        await design.PublishAsync(scrutineer, id);
        var templateId = (await db.Get<ITemplateRepository>().GetVersionInfoAsync(id))!.TemplateId;

        var first = await design.NewVersionAsync(scrutineer, templateId);
        var second = await design.NewVersionAsync(scrutineer, templateId);

        Assert.Equal(first, second);
        Assert.Equal(2, (await db.Get<ITemplateRepository>().GetSummaryAsync(templateId))!.Versions.Count);
    }

    [Fact]
    public async Task Create_DuplicateOrBadKey_IsRefused()
    {
        var (db, scrutineer, _) = await DraftAsync();
        using var __ = db;

        var duplicate = await Assert.ThrowsAsync<DomainValidationException>(() => db.Get<TemplateDesignService>().CreateAsync(scrutineer, "neglect", "Again"));
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => db.Get<TemplateDesignService>().CreateAsync(scrutineer, "Bad Key", ""));

        Assert.Contains("already exists", duplicate.Message);
        Assert.Equal(2, bad.Problems.Count);
        Assert.Single(await db.Get<ITemplateRepository>().GetSummariesAsync());
    }

    [Fact]
    public async Task Import_InvalidFile_SavesNothing_AndNamesThePath()
    {
        using var db = NewDatabase();
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var json = TemplateJson.Write(Content("imported")).Replace("\"yes-partly-no\"", "\"made-up\"");

        var ex = await Assert.ThrowsAsync<TemplateFormatException>(() => db.Get<TemplateLibraryService>().ImportAsync(scrutineer, json));

        Assert.Contains(ex.Problems, p => p.Contains("\"made-up\" does not exist"));
        Assert.Empty(await db.Get<ITemplateRepository>().GetSummariesAsync());
    }

    [Fact]
    public async Task ExportThenImport_GivesBackAnIdenticalTemplate()
    {
        using var source = NewDatabase();
        using var target = NewDatabase();
        var a = await source.CreateUserAsync("scrutineer", Role.Scrutineer);
        var b = await target.CreateUserAsync("scrutineer", Role.Scrutineer);
        var original = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Templates, "education-disengagement.json"));
        var imported = await source.Get<TemplateLibraryService>().ImportAsync(a, original);

        var exported = await source.Get<TemplateDesignService>().ExportAsync(a, imported.VersionId);
        var again = await target.Get<TemplateLibraryService>().ImportAsync(b, exported.Json);
        var reExported = await target.Get<TemplateDesignService>().ExportAsync(b, again.VersionId);

        Assert.Equal("education-disengagement-v1.json", exported.FileName);
        Assert.Equal(exported.Json, reExported.Json);
        Assert.Equal(TemplateJson.Write(TemplateJson.Parse(original)), exported.Json);
    }

    public static TheoryData<Role> NotScrutineers() => new() { Role.Auditor, Role.Manager, Role.Executive, Role.Administrator };

    [Theory]
    [MemberData(nameof(NotScrutineers))]
    public async Task EveryDesignerCall_ByAnotherRole_IsRefused(Role role)
    {
        var (db, _, id) = await DraftAsync();
        using var __ = db;
        long? agency = role.BelongsToAgency()
            ? await db.Get<IAgencyRepository>().CreateAsync(Agency.Create("police", "Cleveland Police", AgencyKinds.Police))
            : null;
        var actor = await db.CreateUserAsync("someone", role, agency);
        var design = db.Get<TemplateDesignService>();
        var library = db.Get<TemplateLibraryService>();
        var calls = new Func<Task>[]
        {
            () => design.CreateAsync(actor, "other", "Other"),
            () => design.GetVersionAsync(actor, id),
            () => design.SaveDraftAsync(actor, id, Content("neglect")),
            () => design.CheckAsync(actor, id),
            () => design.PublishAsync(actor, id),
            () => design.NewVersionAsync(actor, 1),
            () => design.DiscardDraftAsync(actor, id),
            () => design.SetRetiredAsync(actor, 1, true),
            () => design.GetHistoryAsync(actor, 1),
            () => design.ExportAsync(actor, id),
            () => library.GetSummariesAsync(actor),
            () => library.ImportAsync(actor, TemplateJson.Write(Content("sneaky"))),
        };

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<AccessDeniedException>(call);
        }

        Assert.Equal(TemplateStatus.Draft, (await db.Get<ITemplateRepository>().GetVersionInfoAsync(id))!.Status);
        Assert.Single(await db.Get<ITemplateRepository>().GetSummariesAsync());
    }
}

public sealed class TemplateDesignServiceTestsOnSqlite() : TemplateDesignServiceTests(DatabaseEngine.Sqlite);

public sealed class TemplateDesignServiceTestsOnPostgres() : TemplateDesignServiceTests(DatabaseEngine.Postgres);
